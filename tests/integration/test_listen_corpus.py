"""Hostile requests over raw sockets, each checked byte for byte through `listen --ndjson` and
through `export --format ndjson`."""

from __future__ import annotations

import base64
import gzip
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.cli_inprocess import run_main
from tests.helpers import Listener, exchange, start_listener

BINARY = bytes(range(256)) * 4 + b"\x00\r\n\r\n\xff"
GZIPPED = gzip.compress(b'{"event":"order_created","amount":4200}', mtime=0)
FIVE_MB = os.urandom(5 * 1024 * 1024)
MAX_BODY = 10 * 1024 * 1024


@dataclass
class Case:
    name: str
    parts: list[bytes]
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    status: int = 200
    version: str = "1.1"
    rejected: str | None = None
    body_size: int | None = None
    pause_for_continue: bool = False
    extra_records: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def post(
    target: str,
    headers: list[tuple[str, str]],
    body: bytes,
    method: str = "POST",
    version: str = "1.1",
) -> bytes:
    head = f"{method} {target} HTTP/{version}\r\n".encode("latin-1")
    head += b"".join(f"{n}: {v}\r\n".encode("latin-1") for n, v in headers)
    return head + b"\r\n" + body


def simple(
    name: str,
    target: str,
    headers: list[tuple[str, str]],
    body: bytes,
    method: str = "POST",
    **kw: Any,
) -> Case:
    return Case(name, [post(target, headers, body, method)], method, target, headers, body, **kw)


H = [("Host", "localhost")]
CASES = [
    simple(
        "duplicate-and-mixed-case-headers",
        "/dup",
        [
            *H,
            ("X-Dup", "1"),
            ("x-dup", "2"),
            ("X-DUP", "3"),
            ("X-MiXeD-CaSe", "Value"),
            ("Content-Length", "2"),
        ],
        b"{}",
    ),
    simple(
        "binary-body",
        "/bin",
        [*H, ("Content-Type", "application/octet-stream"), ("Content-Length", str(len(BINARY)))],
        BINARY,
    ),
    simple(
        "gzip-kept-raw",
        "/gz",
        [
            *H,
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(GZIPPED))),
        ],
        GZIPPED,
    ),
    Case(
        "chunked",
        [
            post("/chunked", [*H, ("Transfer-Encoding", "chunked")], b"")
            + b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        ],
        "POST",
        "/chunked",
        [*H, ("Transfer-Encoding", "chunked")],
        b"hello world",
    ),
    simple("empty-post", "/empty", [*H, ("Content-Length", "0")], b""),
    simple("get-no-body", "/get?x=1", H, b"", method="GET"),
    simple("purge-method", "/cache/item", H, b"", method="PURGE"),
    simple(
        "odd-percent-escapes",
        "/p%2Fa%20th/%zz/%E2%82%AC/%?x=%00&y=%ff&&z",
        [*H, ("Content-Length", "0")],
        b"",
    ),
    simple(
        "latin1-header-bytes",
        "/latin",
        [*H, ("X-Latin", "caf\xe9 \xa3\xff"), ("Content-Length", "1")],
        b"x",
    ),
    Case(
        "http-1.0",
        [post("/old", [("Content-Length", "3")], b"old", version="1.0")],
        "POST",
        "/old",
        [("Content-Length", "3")],
        b"old",
        version="1.0",
    ),
    Case(
        "pipelined",
        [
            post("/pipe/1", [*H, ("Content-Length", "3")], b"one")
            + post("/pipe/2", [*H, ("Content-Length", "3")], b"two")
        ],
        "POST",
        "/pipe/1",
        [*H, ("Content-Length", "3")],
        b"one",
        extra_records=1,
    ),
    Case(
        "expect-100-continue",
        [post("/expect", [*H, ("Content-Length", "5"), ("Expect", "100-continue")], b""), b"hello"],
        "POST",
        "/expect",
        [*H, ("Content-Length", "5"), ("Expect", "100-continue")],
        b"hello",
        pause_for_continue=True,
    ),
    simple(
        "five-megabytes",
        "/big",
        [*H, ("Content-Type", "application/octet-stream"), ("Content-Length", str(len(FIVE_MB)))],
        FIVE_MB,
    ),
    Case(
        "over-limit",
        [post("/huge", [*H, ("Content-Length", str(MAX_BODY + 1))], b"\x01" * (MAX_BODY + 1))],
        "POST",
        "/huge",
        [*H, ("Content-Length", str(MAX_BODY + 1))],
        b"",
        status=413,
        rejected="body-too-large",
        body_size=MAX_BODY + 1,
    ),
    Case(
        "over-limit-with-expect",
        [
            post(
                "/huge2",
                [*H, ("Content-Length", str(MAX_BODY + 5)), ("Expect", "100-continue")],
                b"",
            )
        ],
        "POST",
        "/huge2",
        [*H, ("Content-Length", str(MAX_BODY + 5)), ("Expect", "100-continue")],
        b"",
        status=413,
        rejected="body-too-large",
        body_size=MAX_BODY + 5,
    ),
    Case(
        "chunked-over-limit",
        [
            post("/huge3", [*H, ("Transfer-Encoding", "chunked")], b"")
            + b"".join(b"100000\r\n" + b"\x02" * 0x100000 + b"\r\n" for _ in range(11))
            + b"0\r\n\r\n"
        ],
        "POST",
        "/huge3",
        [*H, ("Transfer-Encoding", "chunked")],
        b"",
        status=413,
        rejected="body-too-large",
        body_size=11 * 0x100000,
    ),
]


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listener]:
    db = tmp_path_factory.mktemp("corpus") / "captures.db"
    listening = start_listener(db)
    yield listening
    assert listening.stop() == 0


def _check(record: dict[str, Any], case: Case) -> None:
    assert record["method"] == case.method
    assert record["target"] == case.target
    assert record["path"] == record["target"].split("?")[0] or "%" in case.target
    assert record["http_version"] == case.version
    assert [tuple(h) for h in record["headers"]] == case.headers
    assert base64.b64decode(record["body_b64"]) == case.body
    assert record["body_size"] == (case.body_size if case.body_size is not None else len(case.body))
    assert record["response_status"] == case.status
    assert record["rejected"] == case.rejected
    assert record["remote"].startswith("127.0.0.1:")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_request_kept_byte_for_byte(listener: Listener, case: Case) -> None:
    before = len(listener.records)
    responses = exchange(
        listener.port,
        case.parts,
        responses=1 + case.extra_records,
        pause_for_continue=case.pause_for_continue,
    )
    finals = [r for r in responses if r.status != 100]
    assert [r.status for r in finals] == [case.status] * (1 + case.extra_records)
    if case.pause_for_continue:
        assert responses[0].status == 100

    records = listener.wait_records(before + 1 + case.extra_records)[before:]
    _check(records[0], case)

    exported = run_main("export", "--db", str(listener.db), "--format", "ndjson")
    assert exported.returncode == 0, exported.stderr
    by_id = {r["id"]: r for r in map(json.loads, exported.stdout.splitlines())}
    assert by_id[records[0]["id"]] == records[0]
    _check(by_id[records[0]["id"]], case)


def test_pipelined_second_request_kept(listener: Listener) -> None:
    case = next(c for c in CASES if c.name == "pipelined")
    before = len(listener.records)
    exchange(listener.port, case.parts, responses=2)
    second = listener.wait_records(before + 2)[before + 1]
    assert second["target"] == "/pipe/2"
    assert base64.b64decode(second["body_b64"]) == b"two"


def test_malformed_request_is_recorded(listener: Listener) -> None:
    before = len(listener.records)
    responses = exchange(listener.port, b"THIS IS NOT HTTP\x00\r\n\r\n")
    assert responses[0].status == 400
    record = listener.wait_records(before + 1)[before]
    assert record["response_status"] == 400
    assert record["rejected"].startswith("malformed-request")


@pytest.mark.parametrize(
    ("payload", "kept", "reason"),
    [
        (
            post("/cut", [*H, ("Content-Length", "100")], b"0123456789"),
            b"0123456789",
            "incomplete-body: 10 of 100 bytes",
        ),
        (
            post("/cutchunk", [*H, ("Transfer-Encoding", "chunked")], b"") + b"5\r\nhello\r\n",
            b"hello",
            "incomplete-body: 5 bytes",
        ),
    ],
    ids=["content-length", "chunked"],
)
def test_sender_leaving_mid_body_is_still_recorded(
    listener: Listener, payload: bytes, kept: bytes, reason: str
) -> None:
    before = len(listener.records)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as sock:
        sock.sendall(payload)
        time.sleep(0.1)  # let the receiver start reading, then leave
    record = listener.wait_records(before + 1)[before]
    assert base64.b64decode(record["body_b64"]) == kept
    assert record["rejected"] == reason
    assert record["response_status"] == 0
    assert listener.proc.poll() is None


def test_export_to_file_matches_stdout(listener: Listener, tmp_path: Path) -> None:
    exchange(listener.port, post("/file", [*H, ("Content-Length", "1")], b"f"))
    out = tmp_path / "out.ndjson"
    result = run_main("export", "--db", str(listener.db), "--format", "ndjson", "-o", str(out))
    assert result.returncode == 0, result.stderr
    stdout = run_main("export", "--db", str(listener.db), "--format", "ndjson").stdout
    assert out.read_bytes() == stdout
    assert b"exported" in result.stderr
