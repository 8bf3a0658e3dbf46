"""`json:` filters over one large JSON body: seconds per capture, by kind of path.

Run on demand:

    python tests/bench/bench_json_filter.py [--mb 50] [--rounds 2]

Builds one JSON body of about `--mb` megabytes (an array of small orders, the shape of a bulk
export webhook) and times `matches_capture` for exact paths (`$.type`), wildcards
(`$.items[*].id`), descendants (`$..sku`) and filter selectors, matching and not. Best of the
rounds. Each query parses the body afresh, as the filter does for each capture.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's hookscope

from hookscope.core.filters import compile_filter
from hookscope.core.model import Capture

QUERIES = [
    "json:$.type=bulk",
    "json:$.type=other",
    "json:$.items[0].id=0",
    "json:$.items[*].id=5",
    "json:$.items[*].id=-1",
    "json:$..sku=SKU-7",
    "json:$..sku=none",
    "json:$.items[?@.price > 1000]",
]


def body_of(megabytes: float) -> bytes:
    rnd = random.Random(7)
    items = []
    size = 0
    while size < megabytes * 1_000_000:
        item = {
            "id": len(items),
            "sku": f"SKU-{len(items)}",
            "price": round(rnd.random() * 100, 2),
            "tags": ["a", "b"],
            "shipping": {"zone": rnd.randrange(9), "lines": [1, 2, 3]},
        }
        items.append(item)
        size += 110
    return json.dumps({"type": "bulk", "items": items}).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    body = body_of(args.mb)
    capture = Capture("POST", "/bulk", (("Content-Type", "application/json"),), body, 0)
    print(f"body: {len(body) / 1e6:.1f} MB")
    for query in QUERIES:
        compiled = compile_filter(query)
        best = float("inf")
        for _ in range(args.rounds):
            started = time.perf_counter()
            matched = compiled.matches_capture(capture)
            best = min(best, time.perf_counter() - started)
        print(f"{query:<34} {'match' if matched else 'no match':<9} {best:7.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
