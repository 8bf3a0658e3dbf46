"""`hookscope listen --public` and `hookscope tunnels` as a user runs them: real processes, the
fake tunnel tools on PATH, real requests to the receiver (what ends before listening: the
command line in process)."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from pathlib import Path

import httpx

from tests.cli_inprocess import run_main
from tests.core.tunnels.conftest import FAKES, alive, started
from tests.helpers import Listener, cli_env, start_listener, wait_for


def fake_env(tmp_path: Path, mode: str = "up") -> dict[str, str]:
    env = cli_env()
    env["PATH"] = f"{FAKES}{os.pathsep}{env['PATH']}"
    env["FAKE_TUNNEL_LOG"] = str(tmp_path / "starts.ndjson")
    env["FAKE_TUNNEL_MODE"] = mode
    return env


def stderr_lines(listener: Listener) -> list[str]:
    """Keep reading the listener's stderr (after its first line) into a list."""
    lines: list[str] = []
    stream = listener.proc.stderr
    assert stream is not None

    def read() -> None:
        for raw in stream:
            lines.append(raw.decode().rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_public_url_first_on_stdout_guards_on_and_tunnel_ends_with_listen(
    tmp_path: Path,
) -> None:
    env = fake_env(tmp_path)
    listener = start_listener(tmp_path / "c.db", "--public", "cloudflared", env=env)
    errors = stderr_lines(listener)
    try:
        event = listener.wait_event("public-url")
        match = re.fullmatch(
            r"https://quiet-river-1-lock\.trycloudflare\.com(/h/[0-9a-f]{32})", event["url"]
        )
        assert match, event
        assert event["tunnel"] == "cloudflared (quick tunnel)"
        prefix = match.group(1)
        wait_for(lambda: f"public url: {event['url']}" in errors)
        assert "tunnel cloudflared (quick tunnel): connecting" in errors
        base = f"http://127.0.0.1:{listener.port}"
        body = b'{"b": 1,\n "a": "\xc3\xa9"}'
        ok = httpx.post(f"{base}{prefix}/hooks/stripe?x=1", content=body)
        refused = httpx.post(f"{base}/hooks/stripe", content=body)
        assert (ok.status_code, refused.status_code) == (200, 404)
        records = listener.wait_records(2)
    finally:
        code = listener.stop(signal.SIGTERM)
    assert code == 0
    assert records[0]["target"] == f"{prefix}/hooks/stripe?x=1"
    assert records[0]["body_b64"] == "eyJiIjogMSwKICJhIjogIsOpIn0="
    assert records[1]["rejected"] == "guard-secret-path"
    (start,) = started(tmp_path / "starts.ndjson")
    assert start["argv"][1:] == [  # type: ignore[index]
        "tunnel", "--no-autoupdate", "--url", f"http://127.0.0.1:{listener.port}",
    ]  # fmt: skip
    wait_for(lambda: not alive(start["pid"]))  # type: ignore[arg-type]


def test_no_orphan_after_kill_9_of_listen(tmp_path: Path) -> None:
    env = fake_env(tmp_path)
    listener = start_listener(tmp_path / "c.db", "--public", "ngrok", env=env)
    listener.wait_event("public-url")
    (start,) = started(tmp_path / "starts.ndjson")
    pid = start["pid"]
    assert isinstance(pid, int)
    assert alive(pid)
    listener.proc.kill()  # SIGKILL: no cleanup code in hookscope runs
    listener.proc.wait(timeout=10)
    wait_for(lambda: not alive(pid), timeout=10)


def test_a_tunnel_that_cannot_come_up_ends_listen_with_one_line(tmp_path: Path) -> None:
    env = fake_env(tmp_path, mode="fatal")
    listener = start_listener(tmp_path / "c.db", "--public", "tailscale", env=env)
    assert listener.proc.wait(timeout=20) == 2
    assert listener.proc.stderr is not None
    rest = listener.proc.stderr.read().decode()
    assert rest.splitlines()[-1] == (
        "hookscope: error: tunnel tailscale funnel failed: Funnel is not enabled on your tailnet."
    )
    assert "Traceback" not in rest
    assert listener.events == []


def test_a_missing_tool_is_one_line_saying_how_to_install(tmp_path: Path) -> None:
    result = run_main(
        "listen", "--port", "0", "--db", str(tmp_path / "c.db"), "--public", "cloudflared",
        env={"PATH": str(tmp_path)},  # nothing on it
    )
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "hookscope: error: cloudflared is not installed: `cloudflared` is not on PATH; install "
        "cloudflared (brew install cloudflared, or Cloudflare's package: "
        "https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/)"
    ]
    assert not (tmp_path / "c.db").exists()  # refused before anything was opened


def test_guard_options_without_public_are_refused(tmp_path: Path) -> None:
    result = run_main("listen", "--db", str(tmp_path / "c.db"), "--require-signature", "/x/*")
    assert result.returncode == 2
    assert result.stderr.decode().startswith("hookscope: error: --public-target, --no-secret-path")


def test_tunnels_lists_what_is_installed_and_why_not(tmp_path: Path) -> None:
    env = {"PATH": str(FAKES)}
    result = run_main("tunnels", "--json", env=env)
    assert result.returncode == 0
    listed = {item["name"]: item for item in json.loads(result.stdout)}
    assert list(listed) == ["ssh", "cloudflared", "ngrok", "tailscale"]
    assert listed["cloudflared"]["available"]
    assert listed["cloudflared"]["path"] == str(FAKES / "cloudflared")
    assert not listed["ssh"]["available"]
    assert "openssh-client" in listed["ssh"]["detail"]
    text = run_main("tunnels", env=env).stdout.decode().splitlines()
    assert text[0].startswith("ssh: not installed: `ssh` is not on PATH; install OpenSSH")
    assert text[2].startswith(f"ngrok: available ({FAKES / 'ngrok'})")


def test_control_characters_from_a_tunnel_tool_never_reach_the_terminal(tmp_path: Path) -> None:
    env = fake_env(tmp_path, mode="hostile")
    listener = start_listener(tmp_path / "c.db", "--public", "cloudflared", env=env)
    errors = stderr_lines(listener)
    try:
        wait_for(lambda: any("dropped" in line for line in errors))
    finally:
        listener.stop(signal.SIGTERM)
    dropped = next(line for line in errors if "dropped" in line)
    assert "\x1b" not in dropped
    assert "\x07" not in dropped
    assert "\u202e" not in dropped
    assert dropped.endswith("failed to request quick Tunnel: \\u202egnp.exe")  # shown, escaped
