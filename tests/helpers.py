"""Test helpers: a `hookscope listen` subprocess and a raw-socket HTTP client."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def hookscope_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "hookscope", *args]


def run_cli(
    *args: str, stdin: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """`hookscope ARGS` in a real process: for what needs one (signals, pipes, a terminal, a
    second process). Otherwise tests.cli_inprocess.run_main answers the same, far cheaper."""
    return subprocess.run(
        hookscope_cmd(*args),
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
        env=cli_env(),
    )


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("HOOKSCOPE_DB", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Listener:
    """A running `hookscope listen --ndjson` whose stdout records are collected as they come."""

    proc: subprocess.Popen[bytes]
    port: int
    db: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # status lines, e.g. public-url
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def _collect(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                record = json.loads(line)
            except ValueError:  # a line cut short by a killed process
                continue
            with self._cond:
                # Status lines carry "event"; capture records never do.
                (self.events if "event" in record else self.records).append(record)
                self._cond.notify_all()

    def wait_event(self, name: str, timeout: float = 15) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            return next((e for e in self.events if e.get("event") == name), None)

        with self._cond:
            self._cond.wait_for(lambda: found() is not None, timeout)
            event = found()
        assert event is not None, f"no {name!r} event; events: {self.events}"
        return event

    def wait_records(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.records) >= count, timeout)
        assert ok, f"expected {count} records, got {len(self.records)}"
        return self.records

    def stop(self, sig: int = 2) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=10)


def start_listener(db: Path, *extra: str, env: dict[str, str] | None = None) -> Listener:
    proc = subprocess.Popen(
        hookscope_cmd("listen", "--port", "0", "--db", str(db), "--ndjson", *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env or cli_env(),
    )
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()
    match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
    if not match:
        proc.kill()
        raise AssertionError(f"listen did not start: {line!r} {proc.stderr.read()!r}")
    listener = Listener(proc, int(match.group(1)), db)
    threading.Thread(target=listener._collect, daemon=True).start()
    return listener


@dataclass
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def read_response(sock: socket.socket, buffer: bytearray) -> RawResponse:
    """One HTTP/1.x response from `sock` (bytes already read wait in `buffer`)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a full response head: {bytes(buffer)!r}")
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
    buffer[:] = rest
    while len(buffer) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
    body = bytes(buffer[:length])
    del buffer[:length]
    return RawResponse(status, headers, body)  # type: ignore[arg-type]


def exchange(
    port: int,
    payload: bytes | Sequence[bytes],
    responses: int = 1,
    pause_for_continue: bool = False,
) -> list[RawResponse]:
    """Send raw bytes (or parts, waiting for `100 Continue` between them) and read responses."""
    parts = [payload] if isinstance(payload, bytes) else list(payload)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        buffer = bytearray()
        out: list[RawResponse] = []
        for i, part in enumerate(parts):
            sock.sendall(part)
            if pause_for_continue and i < len(parts) - 1:
                interim = read_response(sock, buffer)
                out.append(interim)
                if interim.status != 100:
                    return out
        while len([r for r in out if r.status != 100]) < responses:
            out.append(read_response(sock, buffer))
        return out


def wait_for(predicate: Any, timeout: float = 10, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)
