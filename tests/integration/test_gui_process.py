"""The desktop app as a real process (offscreen): SIGINT and SIGTERM take the same way out as
closing the window, and it exits within 2 s even with a keep-alive connection open."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from hookscope.core.store import Store
from tests.helpers import ROOT, cli_env, hookscope_cmd


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_quits_cleanly_with_keepalive_open(tmp_path: Path, sig: signal.Signals) -> None:
    env = cli_env()
    env.update(QT_QPA_PLATFORM="offscreen", HOOKSCOPE_CONFIG_DIR=str(tmp_path / "config"))
    db = tmp_path / "c.db"
    proc = subprocess.Popen(
        hookscope_cmd("gui", "--port", "0", "--db", str(db)),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    try:
        assert proc.stderr is not None
        seen = []
        match = None
        while match is None and len(seen) < 20:  # Qt may print plugin notes first
            seen.append(proc.stderr.readline().decode())
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", seen[-1])
        assert match, seen
        conn = socket.create_connection(("127.0.0.1", int(match.group(1))))
        conn.sendall(b"POST /ka HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        os.kill(proc.pid, sig)
        code = proc.wait(timeout=10)
        elapsed = time.monotonic() - started
        conn.close()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, proc.stderr.read().decode() if proc.stderr else ""
    # A keep-alive that held the quit would hold it for the 75 s idle timeout; a quit that
    # works takes about a second, more on a busy machine.
    assert elapsed < 8.0
    with Store.open(db) as store:
        assert [c.target for c in store.iter_captures()] == ["/ka"]
