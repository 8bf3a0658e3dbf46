"""Export speed and memory: every format over a store of many captures, against reading the
same captures out of the store and writing nothing (the floor any export pays).

Run on demand:

    python tests/bench/bench_export.py [--captures 100000] [--body 1024]

Each run is a fresh `python` process, so its peak RSS is its own. Bodies alternate between JSON
text and random binary. Prints seconds, captures/s, output MB, peak RSS and the ratio of time and
memory to the read-only reference measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import resource, sys, time
from hookscope.core.formats import EXPORTERS, ExportOptions
from hookscope.core.redact import Redactor
from hookscope.core.store import Store

db, fmt, redact = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
with Store.open(db) as store, open("/dev/null", "wb") as out:
    started = time.perf_counter()
    if fmt == "read-only":
        count = sum(1 for _ in store.iter_captures())
    else:
        options = ExportOptions(redactor=Redactor() if redact else None)
        count = EXPORTERS[fmt](store.iter_captures(), out, options)
    elapsed = time.perf_counter() - started
print(count, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

SIZE_CHILD = r"""
import sys
from hookscope.core.formats import EXPORTERS, ExportOptions
from hookscope.core.store import Store

class Counter:
    size = 0
    def write(self, data):
        self.size += len(data)
        return len(data)
    def flush(self): pass
    def writable(self): return True
    def readable(self): return False
    def seekable(self): return False
    closed = False

with Store.open(sys.argv[1]) as store:
    sink = Counter()
    EXPORTERS[sys.argv[2]](store.iter_captures(), sink, ExportOptions())
print(sink.size)
"""


def build_store(path: Path, count: int, body_size: int) -> None:
    sys.path.insert(0, str(ROOT))
    from hookscope.core.model import Capture, now_us
    from hookscope.core.store import Store

    text = json.dumps({"type": "invoice.paid", "token": "t", "pad": "x" * body_size}).encode()
    text = text[:body_size] if len(text) > body_size else text
    with Store.open(path) as store:
        batch: list[Capture] = []
        for i in range(count):
            body = text if i % 2 else os.urandom(body_size)
            batch.append(
                Capture(
                    method="POST",
                    target=f"/hooks/{i % 50}?token=abc{i}",
                    headers=(
                        ("Host", "localhost:9480"),
                        ("Content-Type", "application/json"),
                        ("Authorization", f"Bearer sk_{i}"),
                    ),
                    body=body,
                    received_us=now_us(),
                    remote="127.0.0.1:5000",
                )
            )
            if len(batch) == 5000:
                store.add_many(batch)
                batch = []
        if batch:
            store.add_many(batch)


def run(db: Path, fmt: str, redact: bool = False) -> tuple[int, float, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), fmt, "1" if redact else "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    count, seconds, rss_kb = result.stdout.split()
    return int(count), float(seconds), int(rss_kb) / 1024


def output_mb(db: Path, fmt: str) -> float:
    result = subprocess.run(
        [sys.executable, "-c", SIZE_CHILD, str(db), fmt],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return int(result.stdout) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--captures", type=int, default=100_000)
    parser.add_argument("--body", type=int, default=1024, help="body bytes per capture")
    args = parser.parse_args()
    from hookscope.core.formats import EXPORTERS

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "captures.db"
        started = time.perf_counter()
        build_store(db, args.captures, args.body)
        print(
            f"store: {args.captures} captures, {args.body} B bodies, built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        count, base_s, base_rss = run(db, "read-only")
        print(
            f"{'format':<16}{'seconds':>9}{'capt/s':>10}{'out MB':>9}{'peak RSS MB':>13}"
            f"{'x time':>8}{'x RSS':>7}"
        )
        print(
            f"{'read-only (ref)':<16}{base_s:>9.2f}{count / base_s:>10.0f}{0:>9.1f}"
            f"{base_rss:>13.1f}{1:>8.2f}{1:>7.2f}"
        )
        for fmt in EXPORTERS:
            for redact in (False, True):
                n, seconds, rss = run(db, fmt, redact)
                assert n == count or fmt == "curl"
                size = output_mb(db, fmt) if not redact else float("nan")
                label = fmt + (" --redact" if redact else "")
                print(
                    f"{label:<16}{seconds:>9.2f}{n / seconds:>10.0f}{size:>9.1f}{rss:>13.1f}"
                    f"{seconds / base_s:>8.2f}{rss / base_rss:>7.2f}"
                )


if __name__ == "__main__":
    main()
