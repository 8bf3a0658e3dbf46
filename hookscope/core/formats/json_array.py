"""JSON: one array of capture records (the same records as NDJSON), written one at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.options import ExportOptions
from hookscope.core.formats.records import record_json
from hookscope.core.jsondepth import check_depth
from hookscope.core.model import Capture
from hookscope.core.record import RecordError, from_record

__all__ = ["read", "write"]


def write(captures: Iterable[Capture], out: IO[bytes], options: ExportOptions | None = None) -> int:
    options = options or ExportOptions()
    count = 0
    out.write(b"[")
    for original in captures:
        capture, report = options.prepare(original)
        out.write((b",\n" if count else b"\n") + record_json(capture, report))
        count += 1
    out.write(b"\n]\n" if count else b"]\n")
    return count


def read(data: bytes, source: str = "input") -> list[Capture]:
    """Captures from a JSON array of records; a bad record raises HookscopeError naming it."""
    try:
        check_depth(data)  # ValueError: the parser would raise RecursionError
        items = json.loads(data)
    except ValueError as exc:
        raise HookscopeError(f"{source}: not valid JSON: {exc}") from None
    if not isinstance(items, list):
        raise HookscopeError(f"{source}: expected a JSON array of capture records")
    captures = []
    for number, item in enumerate(items, start=1):
        try:
            captures.append(from_record(item))
        except RecordError as exc:
            raise HookscopeError(f"{source}, record {number}: {exc}") from None
    return captures
