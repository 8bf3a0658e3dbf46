"""Connections that stall are closed: a request head not complete within --header-timeout
(from the first byte, or from accepting a connection that sends nothing), a keep-alive
connection idle for --idle-timeout, a body that stops arriving for --idle-timeout."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_inprocess import run_main
from tests.faults.harness import FaultListener, post, read_until_closed, start
from tests.helpers import exchange, read_response

HEADER_TIMEOUT = 1.0
IDLE_TIMEOUT = 3.0
CLOSED_WITHIN = 15.0  # generous: a shared machine; without a timeout they stay open for hours


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultListener]:
    db = tmp_path_factory.mktemp("timeouts") / "c.db"
    running = start(
        db, "--header-timeout", str(HEADER_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT)
    )
    yield running
    assert running.stop() == 0
    assert b"Traceback" not in running.stderr


def _connect(listener: FaultListener) -> socket.socket:
    return socket.create_connection(("127.0.0.1", listener.port), timeout=10)


def test_half_a_request_line_is_closed_after_the_header_timeout(listener: FaultListener) -> None:
    before = len(listener.records)
    with _connect(listener) as sock:
        sock.sendall(b"POST /slow HT")
        answer, _ = read_until_closed(sock, CLOSED_WITHIN)
    assert answer.startswith(b"HTTP/1.1 408 ")
    record = listener.wait_records(before + 1)[before]
    assert record["rejected"].startswith("malformed-request: request head not complete")
    assert record["response_status"] == 408
    assert exchange(listener.port, post("/after", b"ok"))[0].status == 200


def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(
    listener: FaultListener,
) -> None:
    with _connect(listener) as sock:
        answer, _ = read_until_closed(sock, CLOSED_WITHIN)
    assert answer == b""  # nothing was asked, so nothing is answered or recorded


def test_headers_trickling_in_do_not_extend_the_header_timeout(listener: FaultListener) -> None:
    with _connect(listener) as sock:
        sock.sendall(b"POST /trickle HTTP/1.1\r\n")
        sock.settimeout(0.3)
        deadline = time.monotonic() + CLOSED_WITHIN
        answer = None
        while answer is None and time.monotonic() < deadline:
            try:
                sock.sendall(b"X-Slow: 1\r\n")  # a header line each 0.3 s, never the end
                answer = sock.recv(65536)
            except TimeoutError:
                continue
            except ConnectionError:
                answer = b""
    assert answer is not None, f"still open after {CLOSED_WITHIN} s"
    assert answer.startswith(b"HTTP/1.1 408 ") or answer == b""


def test_an_idle_keep_alive_connection_lasts_the_idle_timeout_not_the_header_timeout(
    listener: FaultListener,
) -> None:
    with _connect(listener) as sock:
        buffer = bytearray()
        sock.sendall(post("/first", b"1"))
        assert read_response(sock, buffer).status == 200
        sock.settimeout(HEADER_TIMEOUT * 1.5)  # idle longer than the header timeout
        with pytest.raises(TimeoutError):
            sock.recv(1)
        sock.settimeout(10)
        sock.sendall(post("/second", b"2"))
        assert read_response(sock, buffer).status == 200
        answer, _ = read_until_closed(sock, CLOSED_WITHIN)
    assert answer == b""


def test_a_body_that_stops_arriving_is_recorded_and_answered_408(
    listener: FaultListener,
) -> None:
    before = len(listener.records)
    with _connect(listener) as sock:
        sock.sendall(post("/stall", b"0123456789" * 10)[:-90])  # 10 of 100 bytes, then nothing
        answer, _ = read_until_closed(sock, CLOSED_WITHIN)
    assert answer.startswith(b"HTTP/1.1 408 ")
    listener.wait_records(before + 1)
    [record] = [r for r in listener.records[before:] if r["target"] == "/stall"]
    assert base64.b64decode(record["body_b64"]) == b"0123456789"
    assert record["rejected"] == "incomplete-body: 10 of 100 bytes; none for 3 s"
    assert record["response_status"] == 408


@pytest.mark.parametrize("option", ["--header-timeout", "--idle-timeout"])
@pytest.mark.parametrize("value", ["0", "-1", "soon", "100000"])
def test_bad_timeouts_are_one_line_errors(option: str, value: str, tmp_path: Path) -> None:
    result = run_main("listen", "--port", "0", "--db", str(tmp_path / "c.db"), option, value)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert lines[-1].startswith("hookscope: error:") or "error:" in lines[-1]
    assert b"Traceback" not in result.stderr


def test_help_shows_the_defaults() -> None:
    result = run_main("listen", "--help")
    text = " ".join(result.stdout.decode().split())
    assert "--header-timeout SECONDS" in text
    assert "(default 10 s)" in text
    assert "(default 75 s)" in text
