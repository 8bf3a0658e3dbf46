"""Receiver throughput: `hookscope listen` against a bare aiohttp server that stores nothing.

Run on demand (needs `wrk`: `apt-get install wrk`):

    python tests/bench/bench_receiver.py [--duration 5] [--connections 32] [--rounds 2]

Both servers run as separate processes on 127.0.0.1 under the same wrk load: 1 KB and 64 KB
JSON POSTs, over keep-alive connections and with a new connection per request. hookscope
answers only after each capture is committed to its store (durable acknowledgement). Prints
req/s, p50/p99 latency and hookscope's ratio to the bare server, best of the rounds.

A server that stores nothing never touches the disk; hookscope writes every body once. So the
run also measures how fast this machine appends to a file on the store's disk (64 KB writes,
as long as one wrk run), and prints the bytes hookscope stored per second against it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE_SERVER = r"""
import asyncio, sys
from aiohttp import web

async def handle(request):
    await request.read()
    return web.Response()

async def main(port):
    server = web.Server(handle, access_log=None)
    runner = web.ServerRunner(server)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()

asyncio.run(main(int(sys.argv[1])))
"""

WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("{body}", "rb")
wrk.body = f:read("*all")
f:close()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def json_body(size: int) -> bytes:
    item = {"id": "evt_1234567890", "type": "order.created", "amount": 4200, "note": "x" * 40}
    items, body = [], b""
    while len(body) < size:
        items.append(item)
        body = json.dumps({"type": "batch", "items": items}).encode()
    return body[: size - 2] + b"]}" if len(body) > size else body


def wait_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def start_bare(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)], stdout=subprocess.PIPE)
    wait_port(port)
    return proc


def start_hookscope(port: int, db: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hookscope", "listen", "--port", str(port), "--db", str(db)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    wait_port(port)
    return proc


def run_wrk(
    port: int, script: Path, duration: int, connections: int, close: bool
) -> dict[str, float]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script)]
    if close:
        cmd += ["-H", "Connection: close"]
    out = subprocess.run(
        [*cmd, f"http://127.0.0.1:{port}/hook"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {m.group(1): _ms(m.group(2)) for m in re.finditer(r"\s(50|99)%\s+([\d.]+\w+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency.get("50", 0.0),
        "p99": latency.get("99", 0.0),
        "non2xx": float(errors.group(1)) if errors else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def append_rate(folder: Path, seconds: float) -> float:
    """Bytes per second of sustained 64 KB appends to a file in `folder` (no fsync, like the
    store's default durability)."""
    path = folder / "append-reference.bin"
    chunk = os.urandom(65536) * 32
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    written = 0
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < seconds:
            written += os.write(fd, chunk)
    finally:
        os.close(fd)
        path.unlink()
    return written / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="hookscope-bench-"))
    print(
        f"cores: {os.cpu_count()}, wrk -t1 -c{args.connections} -d{args.duration}s, "
        f"best of {args.rounds} rounds"
    )
    print(f"{'case':<22} {'server':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}")
    try:
        for size in (1024, 65536):
            body_file = work / f"body-{size}.json"
            body_file.write_bytes(json_body(size))
            script = work / f"post-{size}.lua"
            script.write_text(WRK_SCRIPT.format(body=body_file))
            for close in (False, True):
                case = f"{size // 1024} KB {'new-conn' if close else 'keep-alive'}"
                best: dict[str, dict[str, float]] = {}
                for round_no in range(args.rounds):
                    for name in ("bare", "hookscope"):
                        port = free_port()
                        db = work / f"r{round_no}-{size}-{close}.db"
                        proc = start_bare(port) if name == "bare" else start_hookscope(port, db)
                        try:
                            result = run_wrk(port, script, args.duration, args.connections, close)
                        finally:
                            proc.terminate()
                            proc.wait(timeout=10)
                        if name not in best or result["rps"] > best[name]["rps"]:
                            best[name] = result
                bare, ours = best["bare"], best["hookscope"]
                ratio = ours["rps"] / bare["rps"]
                for name, r in (("bare", bare), ("hookscope", ours)):
                    shown = f"{ratio:>6.2f}x" if name == "hookscope" else ""
                    print(
                        f"{case:<22} {name:<10} {r['rps']:>9.0f} {r['p50']:>8.2f} "
                        f"{r['p99']:>8.2f} {shown:>7}"
                    )
                if ours["non2xx"]:
                    print(f"  warning: {ours['non2xx']:.0f} non-2xx answers from hookscope")
                if size == 65536 and not close:
                    stored = ours["rps"] * size
                    disk = append_rate(work, args.duration)
                    print(
                        f"  hookscope stored {stored / 1e6:.0f} MB/s of bodies; this disk "
                        f"appends {disk / 1e6:.0f} MB/s with nothing else running "
                        f"({stored / disk:.2f}x)"
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
