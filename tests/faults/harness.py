"""A `hookscope listen` subprocess for fault tests: extra process settings (a low file
descriptor limit), its stderr collected as it comes (so a flood cannot block it on a full
pipe, and can be measured), and raw-socket helpers."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import ROOT, Listener, cli_env, hookscope_cmd


@dataclass
class FaultListener(Listener):
    stderr: bytearray = field(default_factory=bytearray)

    def _collect_stderr(self) -> None:
        assert self.proc.stderr is not None
        while chunk := self.proc.stderr.read1(65536):
            self.stderr += chunk

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        assert match is not None
        return int(match.group(1))


def start(db: Path, *extra: str, preexec_fn: Callable[[], None] | None = None) -> FaultListener:
    proc = subprocess.Popen(
        hookscope_cmd("listen", "--port", "0", "--db", str(db), "--ndjson", *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=cli_env(),
        preexec_fn=preexec_fn,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()
    match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if not match:
        proc.kill()
        raise AssertionError(f"listen did not start: {line!r} {proc.stderr.read()!r}")
    listener = FaultListener(proc, int(match.group(1)), db)
    threading.Thread(target=listener._collect, daemon=True).start()
    threading.Thread(target=listener._collect_stderr, daemon=True).start()
    return listener


def post(target: str, body: bytes, *headers: tuple[str, str]) -> bytes:
    head = f"POST {target} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode("latin-1") + b"\r\n" + body


def read_until_closed(sock: socket.socket, timeout: float) -> tuple[bytes, float]:
    """Everything the peer sends until it closes (bytes, seconds it took); raises
    TimeoutError if the connection is still open after `timeout` seconds."""
    started = time.monotonic()
    sock.settimeout(timeout)
    data = bytearray()
    try:
        while chunk := sock.recv(65536):
            data += chunk
            sock.settimeout(max(0.01, timeout - (time.monotonic() - started)))
    except ConnectionResetError:
        pass
    except TimeoutError:
        raise TimeoutError(f"still open after {timeout} s; received {bytes(data)!r}") from None
    return bytes(data), time.monotonic() - started
