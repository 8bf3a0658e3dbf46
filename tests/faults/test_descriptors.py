"""Out of file descriptors: `listen` with a limit of 64 meets more idle connections than it can
hold. It keeps answering on the connections it has, accepts again once the header timeout has
closed the idle ones, and reports the shortage in a line, not a traceback per failed accept."""

from __future__ import annotations

import resource
import socket
import time
from pathlib import Path

from tests.faults.harness import post, read_until_closed, start
from tests.helpers import read_response, wait_for

LIMIT = 64
HEADER_TIMEOUT = 2.0
IDLE_CONNECTIONS = 120  # well past the limit: most wait in the listen backlog
SHORTAGE = b"new ones are answered 503 until some close"


def _low_descriptor_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


def test_out_of_descriptors_keeps_serving_and_recovers(tmp_path: Path) -> None:
    listener = start(
        tmp_path / "c.db",
        "--header-timeout",
        str(HEADER_TIMEOUT),
        preexec_fn=_low_descriptor_limit,
    )
    address = ("127.0.0.1", listener.port)
    open_ones: list[tuple[socket.socket, bytearray]] = []
    idle: list[socket.socket] = []
    try:
        for i in range(4):  # keep-alive connections that have been accepted and answered
            sock = socket.create_connection(address, timeout=10)
            buffer = bytearray()
            sock.sendall(post(f"/before/{i}", b"x"))
            assert read_response(sock, buffer).status == 200
            open_ones.append((sock, buffer))
        for _ in range(IDLE_CONNECTIONS):  # the kernel completes these; listen cannot accept all
            idle.append(socket.create_connection(address, timeout=10))
        # Until listen has accepted what it can and run out (it says so once).
        wait_for(lambda: SHORTAGE in listener.stderr, timeout=30)

        # (a) the connections it has are still answered
        for i, (sock, buffer) in enumerate(open_ones):
            sock.sendall(post(f"/during/{i}", b"y"))
            assert read_response(sock, buffer).status == 200

        # (b) once the idle ones are closed by the header timeout, a new sender is answered
        deadline = time.monotonic() + 60
        while True:
            with socket.create_connection(address, timeout=10) as sock:
                try:
                    sock.sendall(post("/after", b"z"))
                    sock.shutdown(socket.SHUT_WR)
                except OSError:  # answered 503 and closed before the request was out
                    pass
                answer, _ = read_until_closed(sock, 20)
            if answer.startswith(b"HTTP/1.1 200 "):
                break
            assert answer.startswith(b"HTTP/1.1 503 "), answer  # busy: retry, as senders do
            assert time.monotonic() < deadline, "no answer after the idle ones closed"
            time.sleep(0.5)
        records = listener.wait_records(9)
        assert {r["target"] for r in records} >= {"/after", "/during/0", "/during/3"}
    finally:
        for sock, _ in open_ones:
            sock.close()
        for sock in idle:
            sock.close()
        code = listener.stop()
    # (c) the shortage is reported briefly: no traceback per failed accept
    stderr = bytes(listener.stderr)
    assert code == 0, stderr[-2000:]
    assert b"Traceback" not in stderr, stderr[:3000]
    assert len(stderr.splitlines()) <= 5, stderr[:3000]
    assert SHORTAGE in stderr
