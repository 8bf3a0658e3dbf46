"""Filter speed: metadata queries over 100k summaries (target <= 50 ms), body queries over a store.

Run on demand:

    python tests/bench/bench_filters.py [--rows 100000] [--stored 10000] [--rounds 5]

Part 1 builds `--rows` summaries in memory, shaped like a real history (methods, statuses,
paths, event types, sizes; a sixth without an event type), and times `select_ids` for
metadata queries. The reference is the floor for any filter written in Python: a bare list
comprehension over the same rows testing one attribute (`response_status >= 400`).

Part 2 stores `--stored` captures with ~1 KB JSON bodies in a temporary store and times queries
that read bodies. The reference is the obvious way to do it without the filter module: stream
every capture with `Store.iter_captures()` and search its body bytes.

Best of the rounds; ratios are to the reference measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hookscope.core.filters import compile_filter
from hookscope.core.model import Capture, CaptureSummary
from hookscope.core.store import Store
from hookscope.core.store.filtering import select_ids

TARGET_MS = 50.0

_PATHS = ["/hooks/stripe", "/hooks/github", "/hooks/shopify/orders", "/api/events", "/health"]
_TYPES = ["payment_intent.succeeded", "charge.failed", "push", "pull_request", "orders/create", ""]
_METHODS = ["POST"] * 8 + ["GET", "PUT"]
_STATUSES = [200] * 15 + [201, 204, 400, 401, 404, 500, 503]

METADATA_QUERIES = [
    "status:>=400",
    "method:POST status:>=400",
    "path:/hooks/stripe*",
    "type:payment_intent.*",
    "(status:5xx OR is:rejected) -is:starred size:<10k",
    "-method:POST OR path:/api/* id:>50000",
]
BODY_QUERIES = [
    "body:needle",
    "json:$.data.object.amount>9000",
    "status:>=400 body:timeout",
    "stripe",
]


def best_ms(run: Callable[[], object], rounds: int) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), result


def summaries(count: int, rng: random.Random) -> list[CaptureSummary]:
    rows = []
    for i in range(1, count + 1):
        path = rng.choice(_PATHS)
        rows.append(
            CaptureSummary(
                id=i,
                received_us=1_700_000_000_000_000 + i * 1000,
                method=rng.choice(_METHODS),
                target=f"{path}?n={i}",
                path=path,
                response_status=rng.choice(_STATUSES),
                body_size=rng.randint(0, 40_000),
                content_type="application/json",
                event_type=rng.choice(_TYPES),
                remote=f"127.0.0.1:{40000 + i % 20000}",
                rejected="signature-mismatch" if rng.random() < 0.02 else None,
                starred=rng.random() < 0.01,
            )
        )
    return rows


def captures(count: int, rng: random.Random) -> list[Capture]:
    made = []
    for i in range(count):
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(120))
        if i % 997 == 0:
            words += " needle"
        if i % 53 == 0:
            words += " timeout"
        body = (
            f'{{"type":"{rng.choice(_TYPES)}","data":{{"object":{{"id":"pi_{i}",'
            f'"amount":{rng.randint(0, 10_000)},"note":"{words}"}}}}}}'
        ).encode()
        made.append(
            Capture(
                method="POST",
                target=rng.choice(_PATHS),
                headers=(("Content-Type", "application/json"), ("User-Agent", "bench/1")),
                body=body,
                received_us=1_700_000_000_000_000 + i,
                remote="127.0.0.1:5000",
                response_status=rng.choice(_STATUSES),
            )
        )
    return made


def metadata_part(rows: int, rounds: int, rng: random.Random, store: Store) -> bool:
    data = summaries(rows, rng)
    reference_ms, expected = best_ms(
        lambda: [s.id for s in data if s.response_status >= 400], rounds
    )
    print(f"\n{rows:,} summaries in memory; reference: bare list comprehension, one attribute")
    print(f"  {'reference  status >= 400':<52} {reference_ms:8.1f} ms   1.00x")
    worst = 0.0
    for query in METADATA_QUERIES:
        flt = compile_filter(query)
        elapsed, result = best_ms(lambda flt=flt: select_ids(store, flt, data), rounds)
        if query == "status:>=400":
            assert result == expected, "the filter and the reference disagree"
        matched = len(result) if isinstance(result, list) else 0
        worst = max(worst, elapsed)
        print(
            f"  {query:<52} {elapsed:8.1f} ms  {elapsed / reference_ms:5.2f}x  ({matched:,} match)"
        )
    verdict = "ok" if worst <= TARGET_MS else "OVER TARGET"
    print(f"  slowest {worst:.1f} ms, target <= {TARGET_MS:.0f} ms: {verdict}")
    return worst <= TARGET_MS


def body_part(stored: int, rounds: int, rng: random.Random, folder: Path) -> None:
    with Store.open(folder / "bench.db") as store:
        store.add_many(captures(stored, rng))
        data = store.all_summaries()

        def reference() -> list[int]:
            return [c.id for c in store.iter_captures() if c.id and b"needle" in c.body.lower()]

        reference_ms, expected = best_ms(reference, rounds)
        size_mb = sum(s.body_size for s in data) / 1e6
        print(f"\n{stored:,} stored captures, {size_mb:.1f} MB of bodies")
        print("  reference: iter_captures() and a bytes search of every body")
        print(f"  {'reference  needle in body':<52} {reference_ms:8.1f} ms   1.00x")
        for query in BODY_QUERIES:
            flt = compile_filter(query)
            elapsed, result = best_ms(lambda flt=flt: select_ids(store, flt, data), rounds)
            if query == "body:needle":
                assert result == expected, "the filter and the reference disagree"
            matched = len(result) if isinstance(result, list) else 0
            print(
                f"  {query:<52} {elapsed:8.1f} ms  {elapsed / reference_ms:5.2f}x"
                f"  ({matched:,} match)"
            )
        # Event types: the store derives them when idle; until then the filter derives them
        # itself, reading headers and (without a type header) bodies.
        derived = _wait_derived(store)
        type_query = compile_filter("type:push")
        typed_ms, _ = best_ms(lambda: select_ids(store, type_query, derived), rounds)
        print(f"  {'type:push (types derived by the store)':<52} {typed_ms:8.1f} ms")
        with sqlite3.connect(store.path) as db:
            db.execute("UPDATE captures SET event_type = NULL")
        underived = store.all_summaries()
        pending_ms, _ = best_ms(lambda: select_ids(store, type_query, underived), rounds)
        print(f"  {'type:push (none derived yet: all bodies read)':<52} {pending_ms:8.1f} ms")


def _wait_derived(store: Store) -> list[CaptureSummary]:
    with sqlite3.connect(store.path) as db:
        while db.execute("SELECT 1 FROM captures WHERE event_type IS NULL LIMIT 1").fetchone():
            time.sleep(0.05)
    return store.all_summaries()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(Path(folder) / "empty.db") as empty:
            within = metadata_part(args.rows, args.rounds, rng, empty)
        body_part(args.stored, args.rounds, rng, Path(folder))
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
