"""Export and import formats: one module per format, registered in `EXPORTERS`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from hookscope.core.formats import ndjson
from hookscope.core.model import Capture

__all__ = ["EXPORTERS", "Exporter"]

# An exporter streams captures to a binary file, holding at most one capture at a time.
Exporter = Callable[[Iterable[Capture], IO[bytes]], int]

EXPORTERS: dict[str, Exporter] = {
    "ndjson": ndjson.write,
}
