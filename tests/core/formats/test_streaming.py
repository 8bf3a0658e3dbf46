"""Exporters hold one capture at a time: memory stays flat however many captures go out."""

from __future__ import annotations

import json
import os
import tracemalloc
from collections.abc import Iterator

import pytest

from hookscope.core.formats import EXPORTERS, ExportOptions
from hookscope.core.model import Capture
from hookscope.core.redact import Redactor
from tests.core.factories import make_capture

COUNT = 1500
BODY = 8 * 1024
BOUND = 3 * 1024 * 1024  # bytes of Python memory an export may hold at its peak


class Sink:
    """A binary file that counts and forgets what it is given."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return False


def generated() -> Iterator[Capture]:
    text = json.dumps({"type": "x", "token": "t", "pad": "p" * BODY}).encode()
    for i in range(COUNT):
        body = text if i % 2 else os.urandom(BODY)  # text and binary paths alike
        yield make_capture(id=i + 1, body=body, target=f"/n/{i}?token=abc")


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_memory_stays_bounded(fmt: str, redact: bool) -> None:
    sink = Sink()
    options = ExportOptions(redactor=Redactor() if redact else None)
    tracemalloc.start()
    try:
        count = EXPORTERS[fmt](generated(), sink, options)  # type: ignore[arg-type]  # a duck-typed file
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == COUNT
    assert sink.size > 4 * BOUND or fmt == "csv"  # the output could not have fit the bound
    assert peak < BOUND, f"{fmt}: peak {peak / 1e6:.1f} MB for {sink.size / 1e6:.1f} MB out"
