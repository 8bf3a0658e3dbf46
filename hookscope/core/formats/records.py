"""The capture record as the NDJSON and JSON exports write it: the contract's record, plus a
`redacted` field when a redaction profile was applied (writers may add fields)."""

from __future__ import annotations

import json
from typing import Any

from hookscope.core.model import Capture
from hookscope.core.record import to_record
from hookscope.core.redact import RedactionReport

__all__ = ["export_record", "record_json"]


def export_record(capture: Capture, report: RedactionReport | None) -> dict[str, Any]:
    record = to_record(capture)
    if report is not None:
        record["redacted"] = {
            "masked": report.labels(),
            "body_reserialised": report.body_reserialised,
            "response_body_reserialised": report.response_body_reserialised,
        }
    return record


def record_json(capture: Capture, report: RedactionReport | None) -> bytes:
    """One record as compact ASCII JSON: the same bytes as `listen --ndjson` when unredacted."""
    text = json.dumps(export_record(capture, report), ensure_ascii=True, separators=(",", ":"))
    return text.encode("ascii")
