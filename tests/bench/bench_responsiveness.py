"""Responsiveness under load: the window's receiver against `listen`, the GUI event loop while
captures arrive, and large JSON bodies opened in the detail pane.

Run on demand (offscreen is fine; the wrk part needs `wrk`: `apt-get install -y wrk`):

    QT_QPA_PLATFORM=offscreen python tests/bench/bench_responsiveness.py \
        [--captures 20000] [--seconds 5] [--rates 500,2000,max] [--bodies 24,50] \
        [--single-process]

Prints, each against its target:
- receive rate (wrk -t1 -c32, 1 KB JSON, keep-alive) of `hookscope gui` with its window open
  against `hookscope listen` headless, same run, and the ratio (target >= 0.8x); the same for
  `gui --single-process` (the receiver in the window's process, as before); the CPU time per
  capture of the window's process and of its receiver process under that load;
- the window's and the receiver process's RSS once the stored captures are listed;
- at each arrival rate (captures/s over 8 keep-alive connections from another process; `max`
  sends as fast as the answers come back): the GUI event loop's stall p99 (lateness of a 10 ms
  timer, target <= 50 ms), arrival-to-row p50/p99 (target p99 <= 100 ms) and the app's CPU
  milliseconds per capture;
- for each large JSON body (24 MB and 50 MB by default): time from selecting it to the first
  view (the tree) and the longest stall meanwhile (targets <= 1 s, <= 100 ms); then the pretty
  view, a search for a key near the end, and the longest stall of each; and, for reference,
  the same preparation run in the window's process on a thread.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HOOKSCOPE_CONFIG_DIR", tempfile.mkdtemp(prefix="hookscope-bench-cfg-"))

from tests.bench.bench_receiver import (  # noqa: E402
    WRK_SCRIPT,
    free_port,
    json_body,
    run_wrk,
    start_hookscope,
    wait_port,
)
from tests.bench.bench_window import SENDER, fill  # noqa: E402

# `max`: every client sends its next request as soon as the answer to the last one is back.
MAX_RATE = 1e9


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (the receiver process hangs off the forkserver)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def tree_cpu(pid: int) -> float:
    """CPU time of `pid`'s descendants (not of `pid` itself)."""
    total = 0.0
    for child in descendants(pid):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += cpu_seconds(child)
    return total


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def start_gui(port: int, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hookscope", "gui", "--port", str(port), "--db", str(db), *extra],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    wait_port(port, timeout=30)
    return proc


def receive_rates(work: Path, seconds: int) -> dict[str, float]:
    """wrk against `listen`, then against the window's receiver, same body and load."""
    body = work / "body-1k.json"
    body.write_bytes(json_body(1024))
    script = work / "post-1k.lua"
    script.write_text(WRK_SCRIPT.format(body=body))
    out: dict[str, float] = {}

    def single(port: int, db: Path) -> subprocess.Popen[bytes]:
        return start_gui(port, db, "--single-process")

    for name, start in (("listen", start_hookscope), ("gui", start_gui), ("single", single)):
        port = free_port()
        proc = start(port, work / f"wrk-{name}.db")
        try:
            time.sleep(0.2 if name == "listen" else 1.0)  # the window settles first
            before, before_children = cpu_seconds(proc.pid), tree_cpu(proc.pid)
            result = run_wrk(port, script, seconds, 32, close=False)
            spent = cpu_seconds(proc.pid) - before
            spent_children = tree_cpu(proc.pid) - before_children
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        captures = max(result["rps"] * seconds, 1)
        out[f"{name}_rps"] = result["rps"]
        out[f"{name}_p99"] = result["p99"]
        out[f"{name}_cpu_us"] = spent / captures * 1e6  # the process itself (the window's)
        out[f"{name}_child_cpu_us"] = spent_children / captures * 1e6  # its receiver process
    return out


def big_json(megabytes: int) -> bytes:
    count = megabytes * (1 << 20) // 60
    items = b",".join(
        b'{"id":%d,"sku":"SKU-%d","price":12.5,"tags":["a","b"]}' % (i, i) for i in range(count)
    )
    return b'{"items":[' + items + b'],"last_key_here":true}'


class StallClock:
    """Lateness of a 10 ms Qt timer: how long the event loop could not turn."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.lateness: list[float] = []
        self.expected = 0.0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, now - self.expected) * 1000)
        self.expected = now + 0.01

    def start(self) -> None:
        self.lateness.clear()
        self.expected = time.perf_counter() + 0.01
        self.timer.start()

    def stop(self) -> list[float]:
        """The lateness of every tick, and of the tick that was due when measuring stopped
        (work done synchronously between start and stop counts whole)."""
        self.timer.stop()
        self._tick()
        return list(self.lateness)


async def wait_until(check: Any, limit_s: float = 60.0) -> None:
    deadline = time.perf_counter() + limit_s
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        await asyncio.sleep(0.005)


async def measure(
    db: Path, rates: list[float], seconds: float, bodies: list[int], *, single: bool = False
) -> list[Any]:
    from PySide6.QtWidgets import QApplication

    from hookscope.ui.app import GuiOptions, run_window

    try:  # the in-process preparation, whichever module has it
        from hookscope.core.bodywork import prepare_body as prepare_local
    except ImportError:
        from hookscope.ui.widgets.body_view import prepare_body as prepare_local
    from tests.core.factories import make_capture

    app = QApplication.instance()
    ready = asyncio.Event()
    holder: dict[str, Any] = {}

    def on_ready(window: object) -> None:
        holder["window"] = window
        ready.set()

    launched = time.perf_counter()
    task = asyncio.ensure_future(  # noqa: TID251 (held in task until the end)
        run_window(
            app,
            GuiOptions(db=db, host="127.0.0.1", port=0, max_body=64 << 20, single_process=single),
            on_ready,
        )
    )
    await ready.wait()
    await asyncio.sleep(0)
    rows = Rows()
    mode = "single-process" if single else "receiver process"
    print(f"-- the window, {mode}", flush=True)
    rows += [("window usable", f"{time.perf_counter() - launched:.2f} s", "<= 1.0 s")]
    window = holder["window"]
    total = window.store.count()
    await wait_until(lambda: window.model.rowCount() >= total)
    await asyncio.sleep(1.0)  # the receiver process has booted, the history has settled
    host = getattr(window.session, "receiver_host", None)
    child = host.pid if host is not None else None
    rows += [
        ("RSS: window", f"{rss_mib(os.getpid()):.0f} MiB", "<= 200 MB"),
        ("RSS: receiver process", f"{rss_mib(child):.0f} MiB" if child else "-", ""),
    ]
    clock = StallClock()
    model = window.model
    latencies: list[float] = []

    def inserted(_parent: object, first: int, last: int) -> None:
        now = time.time()
        for row in range(first, last + 1):
            target = model.summary(row).target
            if "sent=" in target:
                latencies.append((now - float(target.rsplit("sent=", 1)[1])) * 1000)

    model.rowsInserted.connect(inserted)
    port = window.session.port
    for rate in rates:
        latencies.clear()
        clock.start()
        cpu = own_cpu()
        child_cpu = cpu_seconds(child) if child else 0.0
        sender = subprocess.Popen(
            [sys.executable, "-c", SENDER, str(port), str(rate), str(seconds)]
        )
        while sender.poll() is None:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        spent = own_cpu() - cpu
        child_spent = (cpu_seconds(child) - child_cpu) if child else 0.0
        stalls = clock.stop()
        arrived = len(latencies) or 1
        label = "max" if rate >= MAX_RATE else f"{rate:.0f}/s"
        rows += [
            (f"[{label}] arrivals", f"{arrived} ({arrived / seconds:.0f}/s)", ""),
            (f"[{label}] event-loop stall p99", f"{_p99(stalls):.1f} ms", "<= 50 ms"),
            (f"[{label}] arrival-to-row p50", f"{statistics.median(latencies or [0]):.1f} ms", ""),
            (f"[{label}] arrival-to-row p99", f"{_p99(latencies or [0]):.1f} ms", "<= 100 ms"),
            (f"[{label}] window CPU per capture", f"{spent / arrived * 1e6:.0f} us", ""),
            (f"[{label}] receiver CPU per capture", f"{child_spent / arrived * 1e6:.0f} us", ""),
        ]
    body_view = window.detail.body
    window.select_id(total)  # a small capture first, as a user would look at before a big one
    await asyncio.sleep(1.0)
    for megabytes in bodies:
        big = big_json(megabytes)
        stored = window.store.add(make_capture(body=big, target=f"/big/{megabytes}"))
        await asyncio.sleep(0.3)
        size = f"{len(big) / (1 << 20):.0f} MB"
        clock.start()
        await asyncio.sleep(0.05)
        opened = time.perf_counter()
        window.select_id(stored.id)

        def shown(capture_id: int = stored.id) -> bool:
            capture = window.detail.capture
            on_show = capture is not None and capture.id == capture_id
            return on_show and body_view.current_view() == "tree" and bool(body_view.tree_model)

        await wait_until(shown)
        first_view = time.perf_counter() - opened
        await asyncio.sleep(0.2)
        rows += [
            (f"{size} JSON: first view (tree)", f"{first_view:.2f} s", "<= 1 s"),
            ("  longest stall", f"{max(clock.stop()):.0f} ms", "<= 100 ms"),
        ]
        clock.start()
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        assert body_view.select_view("pretty"), "no pretty view"
        await wait_until(lambda: body_view.pretty.document().firstBlock().text() == "{")
        rows += [
            (f"{size} JSON: pretty view", f"{time.perf_counter() - started:.2f} s", ""),
            ("  longest stall", f"{max(clock.stop()):.0f} ms", "<= 100 ms"),
        ]
        body_view.select_view("tree")
        await asyncio.sleep(0.1)
        clock.start()
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        body_view.search.setText("last_key_here")
        if hasattr(body_view.search, "next_requested"):  # Enter steps through the matches
            body_view.search.next_requested.emit()
            await wait_until(lambda: " of " in body_view.search_status.text(), 300)
        else:  # the window before search stepped: the count went to the note
            body_view.search.returnPressed.emit()
            await wait_until(lambda: "match" in body_view.note.text(), limit_s=300)
        rows += [
            (f"{size} JSON: search", f"{time.perf_counter() - started:.2f} s", ""),
            ("  longest stall", f"{max(clock.stop()):.0f} ms", "<= 100 ms"),
        ]
        started = time.perf_counter()  # the same work in the window's process, for reference
        await asyncio.to_thread(prepare_local, big, "application/json", "")
        rows += [
            (f"{size} JSON: prepared in-process", f"{time.perf_counter() - started:.2f} s", "")
        ]
        window.select_id(total)  # away again, so the next body opens from a small one
        await asyncio.sleep(0.5)
    window.request_quit()
    await task
    return rows


class Rows(list[Any]):
    """Rows printed as they are measured, so a long run shows progress."""

    def __iadd__(self, rows: Any) -> Rows:  # type: ignore[override,misc]
        for name, value, target in rows:
            print(f"{name:<34} {value:>24}   {target}", flush=True)
            self.append((name, value, target))
        return self


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rates", default="500,2000,max")
    parser.add_argument("--bodies", default="24,50", help="JSON body sizes in MB")
    parser.add_argument("--no-wrk", action="store_true", help="skip the wrk comparison")
    parser.add_argument(
        "--single-process",
        action="store_true",
        help="first measure the window receiving in its own process (the old shape), for a before",
    )
    # A window measured in a process of its own, on a store filled already (the --single-process
    # run): a second window in one process would start warm and keep the first one's memory.
    parser.add_argument("--window-only", choices=["single", "isolated"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.window_only:
        return measure_window(args.db, args)
    print(f"cores: {os.cpu_count()}, {args.captures:,} stored captures", flush=True)
    if sys.dont_write_bytecode:
        print(
            "note: PYTHONDONTWRITEBYTECODE is set, so every module is compiled at each start and"
            " 'window usable' reads ~0.3 s high; an installed app has its bytecode",
            flush=True,
        )
    bodies = [int(b) for b in args.bodies.split(",") if b]
    work = Path(tempfile.mkdtemp(prefix="hookscope-bench-"))
    rows = Rows()
    try:
        if not args.no_wrk and shutil.which("wrk"):
            r = receive_rates(work, args.seconds)
            rows += [
                ("listen: 1 KB keep-alive", f"{r['listen_rps']:.0f} req/s", ""),
                ("gui window: same load", f"{r['gui_rps']:.0f} req/s", ""),
                ("  ratio", f"{r['gui_rps'] / r['listen_rps']:.2f}x", ">= 0.8x"),
                ("gui --single-process: same load", f"{r['single_rps']:.0f} req/s", ""),
                ("  ratio", f"{r['single_rps'] / r['listen_rps']:.2f}x", "(before)"),
                (
                    "  p99 listen / gui / single",
                    f"{r['listen_p99']:.1f} / {r['gui_p99']:.1f} / {r['single_p99']:.1f} ms",
                    "",
                ),
                ("  CPU per capture: listen", f"{r['listen_cpu_us']:.0f} us", ""),
                (
                    "  gui: window / receiver process",
                    f"{r['gui_cpu_us']:.0f} / {r['gui_child_cpu_us']:.0f} us",
                    "",
                ),
                ("  gui --single-process", f"{r['single_cpu_us']:.0f} us", ""),
            ]
        elif not args.no_wrk:
            print("wrk is not installed (apt-get install -y wrk): skipping the receive rates")
        db = work / "captures.db"
        fill(db, args.captures)
        if args.single_process:
            before = work / "before"
            before.mkdir()
            for part in work.glob("captures.db*"):
                copy = shutil.copytree if part.is_dir() else shutil.copy2
                copy(part, before / part.name)
            command = [sys.executable, __file__, "--window-only", "single"]
            command += ["--db", str(before / db.name), "--rates", args.rates]
            subprocess.run([*command, "--seconds", str(args.seconds)], check=True)
        measure_window(db, args, bodies)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def measure_window(db: Path, args: argparse.Namespace, bodies: list[int] | None = None) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    rates = [MAX_RATE if r == "max" else float(r) for r in args.rates.split(",") if r]
    app = QApplication([sys.argv[0]])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        single = args.window_only == "single"
        runner.run(measure(db, rates, float(args.seconds), bodies or [], single=single))
    app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
