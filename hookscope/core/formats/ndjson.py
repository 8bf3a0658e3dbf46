"""NDJSON: one capture record per line (the contract's exact-bytes form)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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
    for original in captures:
        capture, report = options.prepare(original)
        out.write(record_json(capture, report) + b"\n")
        count += 1
    return count


def read(lines: Iterable[bytes], source: str = "input") -> Iterator[Capture]:
    """Captures from NDJSON lines; a bad line raises HookscopeError naming the line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            check_depth(line)  # ValueError: the parser would raise RecursionError
            record = json.loads(line)
            yield from_record(record)
        except (ValueError, RecordError) as exc:
            raise HookscopeError(f"{source}, line {number}: {exc}") from None
