"""Forwarding: pass-through overhead, and how fast the outbox drains.

Run on demand (needs `wrk`: `apt-get install wrk`):

    python tests/bench/bench_forward.py [--duration 5] [--connections 32] [--rounds 2]

The handler is a bare aiohttp server in its own process that answers 200 and stores nothing.

1. Pass-through: wrk → handler directly, against wrk → `hookscope listen --forward` → handler
   (1 KB JSON POSTs, keep-alive on both legs); every capture is committed before its answer, as
   always. Target: at least 0.6x the direct rate. Also printed: hookscope's CPU time per
   request (user + system, from /proc), a figure a busy shared machine disturbs far less than
   a rate.
2. Queue drain: `hookscope listen --forward-mode queue` receives under wrk while the handler is
   down (everything waits in the outbox), then the handler comes up and the outbox is timed to
   empty, in arrival order (`--forward-parallel 1`) and with 8 deliveries at once. Against
   hookscope's own receive rate in the same run; target: at least 0.8x.
3. Receiving while delivering: `listen` alone against `listen --forward-mode queue` with a live
   handler, same wrk load: what draining costs the receiver (the forwarder has its own thread).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.bench_receiver import (
    ROOT,
    WRK_SCRIPT,
    free_port,
    json_body,
    run_wrk,
    start_bare,
    wait_port,
)


def start_listen(port: int, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hookscope", "listen", "--port", str(port), "--db", str(db),
         *extra],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_port(port)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        value: int = conn.execute(sql).fetchone()[0]
        return value


def pass_through(work: Path, script: Path, args: argparse.Namespace) -> None:
    best: dict[str, float] = {}
    for round_no in range(args.rounds):
        handler_port = free_port()
        handler = start_bare(handler_port)
        try:
            direct = run_wrk(handler_port, script, args.duration, args.connections, False)
            port = free_port()
            db = work / f"pass-{round_no}.db"
            proc = start_listen(port, db, "--forward", f"http://127.0.0.1:{handler_port}")
            try:
                cpu_before = cpu_s(proc.pid)
                ours = run_wrk(port, script, args.duration, args.connections, False)
                cpu = cpu_s(proc.pid) - cpu_before
            finally:
                stop(proc)
            stored = count(db, "SELECT COUNT(*) FROM captures")
            recorded = count(db, "SELECT COUNT(*) FROM forward_attempts WHERE status = 200")
        finally:
            stop(handler)
        if ours["rps"] > best.get("ours", 0):
            best.update(
                direct=direct["rps"], ours=ours["rps"], p50=ours["p50"], p99=ours["p99"],
                direct_p50=direct["p50"], direct_p99=direct["p99"], stored=stored,
                recorded=recorded, non2xx=ours["non2xx"], cpu_us=cpu * 1e6 / max(stored, 1),
            )  # fmt: skip
    print(
        f"pass-through 1 KB keep-alive: direct {best['direct']:.0f} req/s "
        f"(p50 {best['direct_p50']:.2f} ms, p99 {best['direct_p99']:.2f} ms); through hookscope "
        f"{best['ours']:.0f} req/s (p50 {best['p50']:.2f} ms, p99 {best['p99']:.2f} ms): "
        f"{best['ours'] / best['direct']:.2f}x (target >= 0.6x)"
    )
    print(
        f"  {best['stored']:.0f} captures committed, {best['recorded']:.0f} attempts recorded, "
        f"{best['non2xx']:.0f} non-2xx; hookscope's CPU {best['cpu_us']:.0f} us per request"
    )


def queue_drain(work: Path, script: Path, args: argparse.Namespace, parallel: int) -> None:
    handler_port = free_port()
    port = free_port()
    db = work / f"drain-{parallel}.db"
    proc = start_listen(
        port, db, "--forward", f"http://127.0.0.1:{handler_port}", "--forward-mode", "queue",
        "--forward-retry", "fixed", "--forward-attempts", "1000", "--forward-base", "0.05",
        "--forward-parallel", str(parallel),
    )  # fmt: skip
    try:
        received = run_wrk(port, script, args.duration, args.connections, False)
        total = count(db, "SELECT COUNT(*) FROM captures")
        handler = start_bare(handler_port)
        started = time.perf_counter()
        try:
            sql = "SELECT COUNT(*) FROM forward_deliveries WHERE state = 'delivered'"
            while count(db, sql) < total:
                time.sleep(0.05)
            took = time.perf_counter() - started
        finally:
            stop(handler)
    finally:
        stop(proc)
    rate = total / took
    print(
        f"queue drain, parallel {parallel}: {total} captures received at {received['rps']:.0f} "
        f"req/s, drained in {took:.2f} s = {rate:.0f} deliveries/s: "
        f"{rate / received['rps']:.2f}x the receive rate (target >= 0.8x)"
    )


def receive_while_delivering(work: Path, script: Path, args: argparse.Namespace) -> None:
    handler_port = free_port()
    handler = start_bare(handler_port)
    try:
        rates = {}
        for name, extra in (
            ("alone", ()),
            ("delivering", ("--forward", f"http://127.0.0.1:{handler_port}", "--forward-mode",
                            "queue", "--forward-parallel", "8")),
        ):  # fmt: skip
            port = free_port()
            db = work / f"recv-{name}.db"
            proc = start_listen(port, db, *extra)
            try:
                rates[name] = run_wrk(port, script, args.duration, args.connections, False)["rps"]
            finally:
                stop(proc)
    finally:
        stop(handler)
    print(
        f"receiving alone {rates['alone']:.0f} req/s, while delivering (queue, parallel 8) "
        f"{rates['delivering']:.0f} req/s: {rates['delivering'] / rates['alone']:.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="hookscope-bench-forward-"))
    try:
        body = work / "body.json"
        body.write_bytes(json_body(1024))
        script = work / "post.lua"
        script.write_text(WRK_SCRIPT.format(body=body))
        pass_through(work, script, args)
        for parallel in (1, 8):
            queue_drain(work, script, args, parallel)
        receive_while_delivering(work, script, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
