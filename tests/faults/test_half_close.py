"""A sender that sends a whole request and then shuts down its write side (half-close) still
gets its answer, and then the connection closes."""

from __future__ import annotations

import base64
import json
import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.faults.harness import FaultListener, post, read_until_closed, start
from tests.helpers import exchange


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultListener]:
    running = start(tmp_path_factory.mktemp("halfclose") / "c.db", "--status", "202")
    yield running
    assert running.stop() == 0
    assert b"Traceback" not in running.stderr


def _targeted(listener: FaultListener, start: int, target: str) -> list[dict[str, Any]]:
    return [r for r in listener.records[start:] if r["target"] == target]


def _send_then_shut(listener: FaultListener, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", listener.port), timeout=10) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        answer, _ = read_until_closed(sock, 10)
    return answer


def test_a_request_then_half_close_is_answered(listener: FaultListener) -> None:
    before = len(listener.records)
    answer = _send_then_shut(listener, post("/half", b'{"a":1}'))
    assert answer.startswith(b"HTTP/1.1 202 ")
    record = listener.wait_records(before + 1)[before]
    assert record["target"] == "/half"
    assert base64.b64decode(record["body_b64"]) == b'{"a":1}'
    assert record["response_status"] == 202


def test_a_get_then_half_close_is_answered(listener: FaultListener) -> None:
    answer = _send_then_shut(listener, b"GET /get HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 202 ")


def test_pipelined_requests_then_half_close_are_all_answered(listener: FaultListener) -> None:
    before = len(listener.records)
    answer = _send_then_shut(listener, post("/p/1", b"one") + post("/p/2", b"two"))
    assert answer.count(b"HTTP/1.1 202 ") == 2
    listener.wait_records(before + 2)
    deadline = time.monotonic() + 10
    while len(_targeted(listener, before, "/p/2")) < 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(_targeted(listener, before, "/p/1")) == 1


def test_a_body_cut_short_by_half_close_is_still_recorded_as_incomplete(
    listener: FaultListener,
) -> None:
    before = len(listener.records)
    answer = _send_then_shut(listener, post("/cut", b"0123456789")[:-4])
    assert answer == b""  # nothing to answer: the request never completed
    listener.wait_records(before + 1)
    [record] = _targeted(listener, before, "/cut")
    assert record["rejected"] == "incomplete-body: 6 of 10 bytes"
    assert exchange(listener.port, post("/after", b"x"))[0].status == 202


def test_a_sender_that_leaves_before_100_continue_is_recorded_quietly(
    listener: FaultListener,
) -> None:
    before = len(listener.records)
    head = post("/expect", b"hello", ("Expect", "100-continue"))[:-5]
    for _ in range(40):  # the race (gone before or after the 100 is written) goes both ways
        with socket.create_connection(("127.0.0.1", listener.port), timeout=10) as sock:
            sock.sendall(head)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    deadline = time.monotonic() + 10
    while len(expects := _targeted(listener, before, "/expect")) < 40:
        assert time.monotonic() < deadline, f"{len(expects)} of 40 recorded"
        time.sleep(0.05)
    assert {r["rejected"] for r in expects} == {"incomplete-body: 0 of 5 bytes"}
    assert exchange(listener.port, post("/after", b"x"))[0].status == 202
    assert b"Traceback" not in listener.stderr


def test_a_half_close_while_the_answer_is_being_written_still_closes_after_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A 32 MB answer the sender does not read yet cannot all fit in the socket buffers: the
    # receiver is still writing it when the half-close arrives, past the point where the
    # last answer would normally say "close".
    folder = tmp_path_factory.mktemp("halfclose-big")
    big = b"x" * (32 << 20)
    rules = folder / "rules.json"
    rule = {"name": "big", "path": "/big", "status": 200, "body_b64": base64.b64encode(big)}
    rules.write_text(json.dumps({"version": 1, "rules": [rule]}, default=bytes.decode))
    running = start(folder / "c.db", "--rules", str(rules))
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:
            sock.sendall(post("/big", b"{}"))
            time.sleep(0.5)
            sock.shutdown(socket.SHUT_WR)
            answer, _ = read_until_closed(sock, 10)
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert len(answer) > len(big)
        assert answer.endswith(big)
    finally:
        assert running.stop() == 0
