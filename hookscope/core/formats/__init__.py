"""Export and import formats: one module per format, registered in `EXPORTERS`.

An exporter streams captures to a binary file, holding one capture at a time, and returns how
many it wrote. Redaction, when chosen, is applied by each exporter through its options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from hookscope.core.formats import csv_table, curl, har, json_array, ndjson
from hookscope.core.formats.curl import curl_command
from hookscope.core.formats.options import DEFAULT_BASE_URL, ExportOptions
from hookscope.core.model import Capture

__all__ = ["DEFAULT_BASE_URL", "EXPORTERS", "ExportOptions", "Exporter", "curl_command"]

Exporter = Callable[[Iterable[Capture], IO[bytes], ExportOptions | None], int]

EXPORTERS: dict[str, Exporter] = {
    "har": har.write,
    "ndjson": ndjson.write,
    "json": json_array.write,
    "csv": csv_table.write,
    "curl": curl.write,
}
