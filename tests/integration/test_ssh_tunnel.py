"""End to end through a real OpenSSH server on 127.0.0.1: `hookscope listen --public ssh` to
"your own server" opens `ssh -R`, and requests sent to the server's forwarded port arrive in
hookscope byte for byte. The server runs with its own host key and a user key in a temp dir."""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import cli_env, exchange, start_listener

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
pytestmark = pytest.mark.skipif(
    not (os.path.exists(SSHD) and shutil.which("ssh") and shutil.which("ssh-keygen")),
    reason="needs openssh-server and openssh-client (see .ci/run)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path) -> str:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True, timeout=30
    )
    return path.with_suffix(".pub").read_text().strip()


@pytest.fixture
def ssh_server(tmp_path: Path) -> Iterator[Path]:
    """A running sshd; returns an ssh config file whose host `hookscope-e2e` reaches it."""
    if os.geteuid() != 0:
        pytest.skip("sshd for another user's login needs root")
    os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
    host_pub = keygen(tmp_path / "host_key")
    user_pub = keygen(tmp_path / "user_key")
    (tmp_path / "authorized_keys").write_text(user_pub + "\n")
    port = free_port()
    config = tmp_path / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp_path / 'host_key'}\n"
        f"PidFile {tmp_path / 'sshd.pid'}\nAuthorizedKeysFile {tmp_path / 'authorized_keys'}\n"
        "PermitRootLogin yes\nPubkeyAuthentication yes\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        "AllowTcpForwarding yes\nGatewayPorts no\n"
    )
    server = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                assert server.stderr is not None
                raise AssertionError(f"sshd did not start: {server.stderr.read()!r}") from None
            time.sleep(0.05)
    (tmp_path / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub}\n")
    client = tmp_path / "ssh_config"
    client.write_text(
        f"Host hookscope-e2e\n  HostName 127.0.0.1\n  Port {port}\n  User root\n"
        f"  IdentityFile {tmp_path / 'user_key'}\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {tmp_path / 'known_hosts'}\n  GlobalKnownHostsFile /dev/null\n"
        "  StrictHostKeyChecking yes\n"
    )
    try:
        yield client
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # sshd and the session it forked for the test
        server.wait(timeout=10)


def test_requests_through_ssh_reverse_tunnel_arrive_byte_exact(
    tmp_path: Path, ssh_server: Path
) -> None:
    env = cli_env()
    env["HOOKSCOPE_SSH_CONFIG"] = str(ssh_server)
    listener = start_listener(
        tmp_path / "c.db", "--public", "ssh", "--public-target", "hookscope-e2e", env=env
    )
    try:
        event = listener.wait_event("public-url", timeout=30)
        url = event["url"]
        assert event["tunnel"] == "ssh: hookscope-e2e"
        host_port, _, prefix = url.removeprefix("http://").partition("/")
        host, _, port = host_port.partition(":")
        assert host == "127.0.0.1"
        assert prefix.startswith("h/")
        assert int(port) != listener.port  # the server's end of the tunnel, not hookscope's
        body = b'{"z": 1, "a":  [1,2,3], "\xe2\x82\xac": null}\n'
        request = (
            f"POST /{prefix}/hooks/github?d=%2F&x HTTP/1.1\r\n".encode()
            + b"Host: hooks.example.com\r\nX-Hub-Signature-256: sha256=00\r\n"
            + b"x-dup: one\r\nX-Dup: two\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        (answer,) = exchange(int(port), request)
        assert answer.status == 200
        (not_found,) = exchange(int(port), b"GET /hooks HTTP/1.1\r\nHost: x\r\n\r\n")
        assert not_found.status == 404
        records = listener.wait_records(2)
    finally:
        assert listener.stop(signal.SIGINT) == 0
    record = records[0]
    assert base64.b64decode(record["body_b64"]) == body
    assert record["target"] == f"/{prefix}/hooks/github?d=%2F&x"
    assert record["headers"][:4] == [
        ["Host", "hooks.example.com"],
        ["X-Hub-Signature-256", "sha256=00"],
        ["x-dup", "one"],
        ["X-Dup", "two"],
    ]
    assert record["remote"].startswith("127.0.0.1:")  # the ssh client's local connection
    assert records[1]["rejected"] == "guard-secret-path"
