"""Import a file of captures into the store: HAR, NDJSON (or our JSON array), told apart by
content, with the file name's extension as a hint only where the content cannot say.

The whole file is read and checked before the store is touched, and the captures go in with one
atomic `add_many`: a bad file imports nothing. Any object with that method will do (the store,
in practice): formats read files and never depend on the store.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from hookscope.core.errors import HookscopeError
from hookscope.core.formats import har_reader, json_array, ndjson
from hookscope.core.model import Capture

__all__ = ["FORMATS", "CaptureSink", "detect_format", "import_file", "read_captures", "read_file"]

FORMATS = ("har", "ndjson", "json")
_NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".ldjson")
_BOM = b"\xef\xbb\xbf"


class CaptureSink(Protocol):
    """Where imported captures go, all at once or not at all (`Store.add_many`)."""

    def add_many(self, captures: Sequence[Capture]) -> list[Capture]: ...


def detect_format(data: bytes, name: str = "input") -> str:
    """`har`, `ndjson` or `json` (an array of capture records); HookscopeError if none fits."""
    text = data.removeprefix(_BOM).lstrip()
    if not text:
        raise HookscopeError(f"{name} is empty: nothing to import")
    if text[:1] == b"[":
        return "json"
    if text[:1] != b"{":
        raise HookscopeError(f"{name} is neither HAR nor NDJSON: it does not start with '{{'")
    first_line = text.split(b"\n", 1)[0]
    try:
        first = json.loads(first_line)
    except (ValueError, RecursionError):
        # A JSON object spread over lines is a (pretty-printed) HAR, unless the name says the
        # file is NDJSON with a broken first line: then the NDJSON reader names that line.
        return "ndjson" if name.lower().endswith(_NDJSON_SUFFIXES) else "har"
    if isinstance(first, dict) and "log" in first:
        return "har"
    return "ndjson"


def read_captures(data: bytes, name: str = "input") -> list[Capture]:
    """Every capture in the file, or HookscopeError naming the first problem and its place."""
    kind = detect_format(data, name)
    data = data.removeprefix(_BOM)
    if kind == "har":
        return har_reader.read(data, name)
    if kind == "json":
        return json_array.read(data, name)
    return list(ndjson.read(data.splitlines(), name))


def import_file(store: CaptureSink, path: Path | str) -> list[Capture]:
    """Read a file (`-` for standard input) into the store; returns the stored captures."""
    captures = read_file(path)
    return store.add_many(captures) if captures else []


def read_file(path: Path | str) -> list[Capture]:
    """Every capture in a file (`-` for standard input), checked before anything is stored."""
    name = str(path)
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
            name = "<stdin>"
        else:
            data = Path(path).read_bytes()
    except OSError as exc:
        raise HookscopeError(f"cannot read {name}: {exc.strerror or exc}") from None
    return read_captures(data, name)
