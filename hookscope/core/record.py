"""The capture record: the one plain form of a capture (NDJSON export, `listen --ndjson`).

Fields are fixed by the command-line contract; readers ignore fields they do not know, and
writers may add fields, so extra fields here (`response_headers`, `rule`, …) are additions.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from hookscope.core.model import Capture, Header, format_timestamp, parse_timestamp

__all__ = ["RecordError", "from_record", "to_json_line", "to_record"]


class RecordError(ValueError):
    """A capture record that cannot be read; the message names the field."""


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
    try:
        target = _require(record, "target", str)
        target.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise RecordError("'target' has characters outside latin-1") from exc
    body = _b64(record.get("body_b64", ""), "body_b64")
    body_size = record.get("body_size", len(body))
    if not isinstance(body_size, int) or isinstance(body_size, bool):
        raise RecordError("'body_size' must be int")
    if body and body_size != len(body):
        raise RecordError(f"'body_size' is {body_size} but 'body_b64' holds {len(body)} bytes")
    status = record.get("response_status", 200)
    if not isinstance(status, int) or isinstance(status, bool):
        raise RecordError("'response_status' must be int")
    rejected = record.get("rejected")
    if rejected is not None and not isinstance(rejected, str):
        raise RecordError("'rejected' must be a string or null")
    rule = record.get("rule")
    note = record.get("note", "")
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
    )
