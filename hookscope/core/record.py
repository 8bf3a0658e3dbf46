"""The capture record: the one plain form of a capture (NDJSON export, `listen --ndjson`).

Fields are fixed by the command-line contract; readers ignore fields they do not know, and
writers may add fields, so extra fields here (`response_headers`, `rule`, …) are additions.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, TypeVar

from hookscope.core.model import Capture, Header, format_timestamp, parse_timestamp
from hookscope.core.origin import valid_origin
from hookscope.core.record_limits import (
    LimitError,
    check_body_size,
    check_id,
    check_received_us,
    check_status,
)

__all__ = ["RecordError", "from_record", "to_json_line", "to_record"]

T = TypeVar("T")


class RecordError(ValueError):
    """A capture record that cannot be read; the message names the field."""


def _limited(check: Callable[..., T], *args: Any) -> T:
    try:
        return check(*args)
    except LimitError as exc:
        raise RecordError(str(exc)) from None


def to_record(capture: Capture) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": capture.id,
        "received_at": format_timestamp(capture.received_us),
        "method": capture.method,
        "target": capture.target,
        "path": capture.path,
        "query": capture.query,
        "http_version": capture.http_version,
        "headers": [[name, value] for name, value in capture.headers],
        "body_b64": base64.b64encode(capture.body).decode("ascii"),
        "body_size": capture.body_size,
        "remote": capture.remote,
        "response_status": capture.response_status,
        "rejected": capture.rejected,
        "response_headers": [[name, value] for name, value in capture.response_headers],
        "response_body_b64": base64.b64encode(capture.response_body).decode("ascii"),
        "rule": capture.rule,
    }
    if capture.starred:
        record["starred"] = True
    if capture.note:
        record["note"] = capture.note
    if capture.origin is not None:  # an import's scheme and host; received captures have none
        record["origin"] = capture.origin
    return record


def to_json_line(capture: Capture) -> str:
    """One NDJSON line (without the newline). ASCII-only, so any terminal or pipe is safe."""
    return json.dumps(to_record(capture), ensure_ascii=True, separators=(",", ":"))


def _headers(value: object, field: str) -> tuple[Header, ...]:
    if not isinstance(value, list):
        raise RecordError(f"'{field}' must be a list of [name, value] pairs")
    pairs: list[Header] = []
    for i, pair in enumerate(value):
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(part, str) for part in pair)
        ):
            raise RecordError(f"'{field}'[{i}] must be a [name, value] pair of strings")
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _b64(value: object, field: str) -> bytes:
    if not isinstance(value, str):
        raise RecordError(f"'{field}' must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise RecordError(f"'{field}' is not valid base64") from exc


def _require(record: dict[str, Any], field: str, kind: type) -> Any:
    if field not in record:
        raise RecordError(f"missing field '{field}'")
    value = record[field]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"'{field}' must be {kind.__name__}")
    return value


def from_record(record: object) -> Capture:
    """A capture from a record; raises RecordError naming the first bad field."""
    if not isinstance(record, dict):
        raise RecordError("a capture record must be a JSON object")
    received_text = _require(record, "received_at", str)
    try:
        received_us = parse_timestamp(received_text)
    except ValueError as exc:
        raise RecordError(f"'received_at' is not an RFC 3339 time: {received_text!r}") from exc
    _limited(check_received_us, received_us, "received_at")
    _limited(check_id, record.get("id"))  # the store assigns new ids, but a bad one is a bad file
    try:
        target = _require(record, "target", str)
        target.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise RecordError("'target' has characters outside latin-1") from exc
    body = _b64(record.get("body_b64", ""), "body_b64")
    rejected = record.get("rejected")
    if rejected is not None and not isinstance(rejected, str):
        raise RecordError("'rejected' must be a string or null")
    body_size = _limited(
        check_body_size, record.get("body_size", len(body)), body, rejected, "body_size"
    )
    status = _limited(check_status, record.get("response_status", 200))
    rule = record.get("rule")
    note = record.get("note", "")
    origin = record.get("origin")
    if origin is not None and not (isinstance(origin, str) and valid_origin(origin)):
        raise RecordError(f"'origin' must be null or scheme://host[:port], got {origin!r}")
    return Capture(
        method=_require(record, "method", str),
        target=target,
        headers=_headers(record.get("headers", []), "headers"),
        body=body,
        received_us=received_us,
        http_version=str(record.get("http_version", "1.1")),
        remote=str(record.get("remote", "")),
        response_status=status,
        response_headers=_headers(record.get("response_headers", []), "response_headers"),
        response_body=_b64(record.get("response_body_b64", ""), "response_body_b64"),
        rejected=rejected,
        rule=rule if isinstance(rule, str) else None,
        body_size=body_size,
        starred=bool(record.get("starred", False)),
        note=note if isinstance(note, str) else "",
        origin=origin,
    )
