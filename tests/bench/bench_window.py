"""The window at scale: 100k stored captures, then 2k captures/s arriving.

Run on demand (offscreen is fine):

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_window.py [--captures 100000]

Prints, each against its target:
- time from launch to a usable window (first page shown, event loop turning), and to the whole
  history loaded;
- resident memory with the whole history loaded;
- a metadata filter over every row, and the same rows scanned by a bare list comprehension
  (the reference) with the ratio;
- with ~2,000 captures/s arriving over keep-alive connections from another process: the
  GUI event loop's stall p99 (lateness of a 10 ms timer) and arrival-to-row latency p50/p99
  (request sent -> its row in the table model).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HOOKSCOPE_CONFIG_DIR", tempfile.mkdtemp(prefix="hookscope-bench-cfg-"))

SENDER = r"""
import http.client, sys, time, threading
port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
clients = 8
def run(k):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    interval = clients / rate
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        due = start + n * interval
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.time()
        body = b'{"type":"order_created","amount":4200,"sent":%f}' % sent
        conn.request("POST", f"/bench/{k}/{n}?sent={sent:.6f}", body=body,
                     headers={"Content-Type": "application/json"})
        conn.getresponse().read()
        n += 1
threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
[t.start() for t in threads]
[t.join() for t in threads]
"""


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(db: Path, count: int) -> None:
    from hookscope.core.store import Store
    from tests.core.factories import make_capture

    methods = ("POST", "POST", "POST", "PUT", "GET")
    statuses = (200, 200, 200, 200, 503, 404)
    with Store.open(db) as store:
        batch = []
        for i in range(count):
            batch.append(
                make_capture(
                    method=methods[i % len(methods)],
                    target=f"/hooks/{('stripe', 'github', 'shopify')[i % 3]}/{i}",
                    response_status=statuses[i % len(statuses)],
                    body=b'{"type":"order_created","amount":%d}' % (i % 5000),
                )
            )
            if len(batch) == 5000:
                store.add_many(batch)
                batch = []
        if batch:
            store.add_many(batch)


async def measure(db: Path, rate: float, seconds: float) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from hookscope.core.filters import compile_filter
    from hookscope.core.store.filtering import select_ids
    from hookscope.ui.app import GuiOptions, run_window

    app = QApplication.instance()
    results: dict[str, float] = {}
    launched = time.perf_counter()
    ready = asyncio.Event()
    holder: dict[str, object] = {}

    def on_ready(window: object) -> None:
        holder["window"] = window
        ready.set()

    task = asyncio.ensure_future(  # noqa: TID251 (held in task until the end)
        run_window(app, GuiOptions(db=db, host="127.0.0.1", port=0, max_body=10 << 20), on_ready)
    )
    await ready.wait()
    await asyncio.sleep(0)  # one turn of the loop: the window is usable now
    results["ready_s"] = time.perf_counter() - launched
    window = holder["window"]
    total = window.store.count()  # type: ignore[attr-defined]
    while window.model.rowCount() < total:  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)
    results["history_s"] = time.perf_counter() - launched
    results["rss_mb"] = rss_mb()

    rows = list(window.view.all_rows)  # type: ignore[attr-defined]
    compiled = compile_filter("method:POST status:>=500 path:/hooks/stripe/*")
    started = time.perf_counter()
    matched = select_ids(window.store, compiled, rows)  # type: ignore[attr-defined]
    results["filter_ms"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    reference = [
        r.id
        for r in rows
        if r.method == "POST" and r.response_status >= 500 and r.path.startswith("/hooks/stripe/")
    ]
    results["filter_reference_ms"] = (time.perf_counter() - started) * 1000
    assert len(list(matched)) == len(reference), "filter and reference disagree"

    # Live load: stall of a 10 ms timer, and arrival-to-row latency.
    lateness: list[float] = []
    expected = [time.perf_counter() + 0.01]
    timer = QTimer()
    timer.setInterval(10)

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - expected[0]) * 1000)
        expected[0] = now + 0.01

    timer.timeout.connect(tick)
    latencies: list[float] = []
    model = window.model  # type: ignore[attr-defined]

    def inserted(_parent: object, first: int, last: int) -> None:
        now = time.time()
        for row in range(first, last + 1):
            target = model.summary(row).target
            if "sent=" in target:
                latencies.append((now - float(target.rsplit("sent=", 1)[1])) * 1000)

    model.rowsInserted.connect(inserted)
    port = window.session.port  # type: ignore[attr-defined]
    timer.start()
    sender = subprocess.Popen([sys.executable, "-c", SENDER, str(port), str(rate), str(seconds)])
    while sender.poll() is None:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    timer.stop()
    received = len(latencies)
    results["arrived"] = received
    results["arrival_rate"] = received / seconds
    results["stall_p99_ms"] = statistics.quantiles(lateness, n=100)[98]
    results["row_p50_ms"] = statistics.median(latencies)
    results["row_p99_ms"] = statistics.quantiles(latencies, n=100)[98]
    # A 20 MB JSON body: select it and watch the event loop while it opens.
    from tests.core.factories import make_capture

    big = (
        b'{"items":['
        + b",".join(
            b'{"id":%d,"sku":"SKU-%d","price":12.5,"tags":["a","b"]}' % (i, i)
            for i in range(400_000)
        )
        + b"]}"
    )
    stored = window.store.add(make_capture(body=big, target="/big"))  # type: ignore[attr-defined]
    await asyncio.sleep(0.3)
    lateness.clear()
    expected[0] = time.perf_counter() + 0.01
    timer.start()
    opened = time.perf_counter()
    window.select_id(stored.id)  # type: ignore[attr-defined]
    body_view = window.detail.body  # type: ignore[attr-defined]
    while body_view.current_view() != "tree":
        await asyncio.sleep(0.01)
    results["big_open_s"] = time.perf_counter() - opened
    await asyncio.sleep(0.2)
    timer.stop()
    results["big_size_mb"] = len(big) / (1 << 20)
    results["big_stall_max_ms"] = max(lateness)
    window.request_quit()  # type: ignore[attr-defined]
    await task
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=2000.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    work = Path(tempfile.mkdtemp(prefix="hookscope-bench-"))
    db = work / "captures.db"
    started = time.perf_counter()
    fill(db, args.captures)
    print(f"filled {args.captures:,} captures in {time.perf_counter() - started:.1f} s")

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        r = runner.run(measure(db, args.rate, args.seconds))
    app.shutdown()
    rows = [
        ("window usable", f"{r['ready_s']:.2f} s", "<= 1.5 s"),
        ("whole history in the table", f"{r['history_s']:.2f} s", ""),
        ("resident memory", f"{r['rss_mb']:.0f} MB", "<= 250 MB"),
        ("metadata filter, all rows", f"{r['filter_ms']:.1f} ms", "<= 50 ms"),
        (
            "  bare list comprehension",
            f"{r['filter_reference_ms']:.1f} ms",
            f"ratio {r['filter_ms'] / max(r['filter_reference_ms'], 1e-9):.1f}x",
        ),
        ("arrivals", f"{r['arrived']:.0f} ({r['arrival_rate']:.0f}/s)", f"asked {args.rate:.0f}/s"),
        ("event-loop stall p99", f"{r['stall_p99_ms']:.1f} ms", "<= 50 ms"),
        ("arrival-to-row p50", f"{r['row_p50_ms']:.1f} ms", ""),
        ("arrival-to-row p99", f"{r['row_p99_ms']:.1f} ms", "<= 100 ms"),
        (f"open a {r['big_size_mb']:.0f} MB JSON body", f"{r['big_open_s']:.2f} s", ""),
        ("  longest event-loop stall", f"{r['big_stall_max_ms']:.0f} ms", "no freeze"),
    ]
    for name, value, target in rows:
        print(f"{name:<30} {value:>22}   {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
