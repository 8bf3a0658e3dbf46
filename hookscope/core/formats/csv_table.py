"""CSV: one row per capture, metadata columns only (bodies and header lists stay out).

Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) get a
leading `'`: every text column comes, directly or through an import, from whoever sent the
request, so the guard is applied to the whole row, not column by column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO

from hookscope.core.eventtype import detect_event_type
from hookscope.core.formats.options import ExportOptions
from hookscope.core.model import Capture, format_timestamp
from hookscope.core.redact import RedactionReport

__all__ = ["COLUMNS", "write"]

COLUMNS = (
    "id",
    "received_at",
    "method",
    "target",
    "path",
    "query",
    "http_version",
    "host",
    "content_type",
    "event_type",
    "body_size",
    "remote",
    "response_status",
    "rejected",
    "rule",
    "starred",
    "note",
    "redacted",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(captures: Iterable[Capture], out: IO[bytes], options: ExportOptions | None = None) -> int:
    options = options or ExportOptions()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        count = 0
        for original in captures:
            capture, report = options.prepare(original)
            writer.writerow(_row(capture, report))
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns `out`
    return count


def _row(capture: Capture, report: RedactionReport | None) -> list[str | int]:
    row: list[str | int] = [
        capture.id if capture.id is not None else "",
        format_timestamp(capture.received_us),
        capture.method,
        capture.target,
        capture.path,
        capture.query,
        capture.http_version,
        capture.header("Host") or "",
        capture.content_type,
        detect_event_type(capture.headers, capture.body),
        capture.body_size,
        capture.remote,
        capture.response_status,
        capture.rejected or "",
        capture.rule or "",
        "yes" if capture.starred else "",
        capture.note,
        "; ".join(report.labels()) if report is not None else "",
    ]
    return [_cell(cell) if isinstance(cell, str) else cell for cell in row]


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
