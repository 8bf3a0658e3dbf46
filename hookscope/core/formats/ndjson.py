"""NDJSON: one capture record per line (the contract's exact-bytes form)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from hookscope.core.errors import HookscopeError
from hookscope.core.model import Capture
from hookscope.core.record import RecordError, from_record, to_json_line

__all__ = ["read", "write"]


def write(captures: Iterable[Capture], out: IO[bytes]) -> int:
    count = 0
    for capture in captures:
        out.write(to_json_line(capture).encode("ascii") + b"\n")
        count += 1
    return count


def read(lines: Iterable[bytes], source: str = "input") -> Iterator[Capture]:
    """Captures from NDJSON lines; a bad line raises HookscopeError naming the line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield from_record(record)
        except (ValueError, RecordError) as exc:
            raise HookscopeError(f"{source}, line {number}: {exc}") from None
