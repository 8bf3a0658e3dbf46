"""The `sends` table (schema version 2): SQL for the send history, run by the store."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

import orjson

from hookscope.core.send.history import SendSummary, StoredSend

if TYPE_CHECKING:  # the receiver opens the store too, and should not pay for httpx
    from hookscope.core.send.sender import SendResult

__all__ = ["FULL_SQL", "SUMMARY_SQL", "insert_send", "send_from_row", "summary_from_row"]

_SUMMARY_COLUMNS = (
    "id, sent_us, method, url, status, error, elapsed_us, scheme, source, body_size, response_size"
)
SUMMARY_SQL = f"SELECT {_SUMMARY_COLUMNS} FROM sends"
FULL_SQL = (
    "SELECT id, sent_us, method, url, scheme, source, status, error, http_version, elapsed_us, "
    "headers, response_headers, body, response_body FROM sends"
)

_INSERT = """INSERT INTO sends (sent_us, method, url, scheme, source, status, error,
    http_version, elapsed_us, body_size, response_size, headers, response_headers, body,
    response_body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""


def insert_send(db: sqlite3.Connection, result: SendResult, scheme: str | None, source: str) -> int:
    """One send, in its own transaction; returns its id. `result.request` is what went out."""
    request = result.request
    row = (
        round(result.sent_at * 1_000_000),
        request.method,
        request.url,
        scheme,
        source,
        result.status,
        result.error,
        result.http_version,
        round(result.elapsed_ms * 1000),
        len(request.body),
        len(result.response_body),
        _headers_blob(request.headers),
        _headers_blob(result.response_headers),
        request.body,
        result.response_body,
    )
    db.execute("BEGIN")
    cursor = db.execute(_INSERT, row)
    db.execute("COMMIT")
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def summary_from_row(row: tuple[Any, ...]) -> SendSummary:
    sid, sent_us, method, url, status, error, elapsed_us, scheme, source, size, rsize = row
    return SendSummary(
        id=sid,
        sent_us=sent_us,
        method=method,
        url=url,
        status=status,
        error=error,
        elapsed_ms=elapsed_us / 1000,
        scheme=scheme,
        source=source,
        body_size=size,
        response_size=rsize,
    )


def send_from_row(row: tuple[Any, ...]) -> StoredSend:
    from hookscope.core.send.sender import OutgoingRequest, SendResult

    (
        sid,
        sent_us,
        method,
        url,
        scheme,
        source,
        status,
        error,
        http_version,
        elapsed_us,
        headers,
        response_headers,
        body,
        response_body,
    ) = row
    request = OutgoingRequest(method, url, _headers(headers), bytes(body))
    result = SendResult(
        request,
        status=status,
        response_headers=_headers(response_headers),
        response_body=bytes(response_body),
        http_version=http_version,
        elapsed_ms=elapsed_us / 1000,
        error=error,
        sent_at=sent_us / 1_000_000,
    )
    return StoredSend(sid, result, scheme, source)


def _headers_blob(headers: tuple[tuple[str, str], ...]) -> bytes | None:
    return orjson.dumps(headers) if headers else None


def _headers(blob: bytes | None) -> tuple[tuple[str, str], ...]:
    return tuple((n, v) for n, v in orjson.loads(blob)) if blob else ()
