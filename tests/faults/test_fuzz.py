"""A bounded fuzz run: a few thousand malformed and mutated requests over raw sockets against
one `listen`, in about 25 s (seeded: a failure names its seed and replays). Afterwards the
receiver still stores a normal POST byte for byte, printed no traceback, and did not grow."""

from __future__ import annotations

import base64
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.faults.harness import post, read_until_closed, start
from tests.helpers import exchange

SEED = int(os.environ.get("HOOKSCOPE_FUZZ_SEED", "20261207"))
BUDGET_S = 25.0
MAX_REQUESTS = 4000
SENDERS = 4

SEEDS = [
    post(
        "/hooks/a?x=1",
        b'{"type":"order.created","amount":4200}',
        ("Content-Type", "application/json"),
    ),
    b"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n",
    b"GET /get?q=%zz&y=%ff HTTP/1.1\r\nHost: x\r\nCookie: a=b\r\n\r\n",
    b"POST /old HTTP/1.0\r\nContent-Length: 3\r\n\r\nold",
    post("/expect", b"hello", ("Expect", "100-continue")),
    post("/p/1", b"one") + post("/p/2", b"two"),
    post("/gz", b"\x1f\x8b\x08\x00" + bytes(range(40)), ("Content-Encoding", "gzip")),
    b"PURGE /cache HTTP/1.1\r\nHost: x\r\nX-Dup: 1\r\nx-dup: 2\r\nContent-Length: 0\r\n\r\n",
]
_NUMBERS = [b"0", b"-1", b"99999999999999999999", b"0x10", b"1e3", b" 5", b"4294967296", b""]
_JUNK = [b"\r\n", b"\n", b"\r", b"\x00", b" ", b":", b"\t", b"\xff", b"%", b"\r\n\r\n", b"HTTP/1.1"]


def _mutate(rnd: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        choice = rnd.randrange(10)
        at = rnd.randrange(len(out) + 1)
        if choice == 0 and out:  # flip a byte
            out[min(at, len(out) - 1)] = rnd.randrange(256)
        elif choice == 1:  # insert junk
            out[at:at] = rnd.choice(_JUNK)
        elif choice == 2:  # delete a run
            del out[at : at + rnd.randint(1, 20)]
        elif choice == 3:  # duplicate a run
            out[at:at] = out[at : at + rnd.randint(1, 40)]
        elif choice == 4:  # truncate
            del out[at:]
        elif choice == 5:  # a number where a number goes
            for name in (b"Content-Length: ", b"\r\n5", b"\r\n6"):
                where = out.find(name)
                if where >= 0:
                    start = where + len(name)
                    end = start
                    while end < len(out) and chr(out[end]).isalnum():
                        end += 1
                    out[start:end] = rnd.choice(_NUMBERS)
                    break
        elif choice == 6:  # a long header line or a long target
            out[at:at] = b"X-Long: " + b"a" * rnd.choice([100, 9000, 70000]) + b"\r\n"
        elif choice == 7:  # many headers
            out[at:at] = b"".join(b"H%d: v\r\n" % i for i in range(rnd.choice([50, 200])))
        elif choice == 8:  # random bytes
            out[at:at] = rnd.randbytes(rnd.randint(1, 64))
        else:  # splice another seed in
            out[at:] = rnd.choice(SEEDS)[rnd.randrange(20) :]
    return bytes(out)


def _send(port: int, payload: bytes, how: int) -> None:
    """One exchange; the receiver may answer, refuse or close: only its survival counts."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            if how == 0:  # in two parts, a moment apart
                sock.sendall(payload[: len(payload) // 2])
                time.sleep(0.01)
                sock.sendall(payload[len(payload) // 2 :])
            else:
                sock.sendall(payload)
            if how == 1:  # leave at once
                return
            sock.shutdown(socket.SHUT_WR)
            read_until_closed(sock, 5)
    except (OSError, TimeoutError):
        pass


def _run(port: int, rnd_for: Callable[[int], random.Random]) -> int:
    sent = 0
    lock = threading.Lock()
    deadline = time.monotonic() + BUDGET_S

    def sender(index: int) -> None:
        nonlocal sent
        rnd = rnd_for(index)
        while time.monotonic() < deadline:
            with lock:
                if sent >= MAX_REQUESTS:
                    return
                sent += 1
            _send(port, _mutate(rnd, rnd.choice(SEEDS)), rnd.randrange(6))

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def test_fuzzed_requests_do_not_stop_or_flood_the_receiver(tmp_path: Path) -> None:
    listener = start(tmp_path / "c.db", "--header-timeout", "1", "--idle-timeout", "2")
    try:
        for i in range(50):  # warm up before measuring memory
            assert exchange(listener.port, post(f"/warm/{i}", b"w" * 1000))[0].status == 200
        rss_before = listener.rss_kib()

        sent = _run(listener.port, lambda index: random.Random(SEED * 100 + index))
        assert sent >= 500, f"only {sent} requests in {BUDGET_S} s"
        assert listener.proc.poll() is None, "listen died"

        body = bytes(range(256)) + b'{"after":"fuzz"}\r\n\r\n\x00'
        before = len(listener.records)
        answer = exchange(listener.port, post("/after-fuzz", body, ("X-Case", "Kept")))
        assert answer[0].status == 200
        deadline = time.monotonic() + 20
        record = None
        while record is None and time.monotonic() < deadline:
            record = next(
                (r for r in listener.records[before:] if r["target"] == "/after-fuzz"), None
            )
            time.sleep(0.05)
        assert record is not None, "the normal POST after the fuzz run was not recorded"
        assert base64.b64decode(record["body_b64"]) == body
        assert ["X-Case", "Kept"] in record["headers"]
        rss_after = listener.rss_kib()
        assert rss_after < rss_before + 150 * 1024, (rss_before, rss_after, f"seed {SEED}")
    finally:
        code = listener.stop()
    stderr = bytes(listener.stderr)
    assert code == 0, stderr[-3000:]
    assert b"Traceback" not in stderr, f"seed {SEED}: " + stderr[:5000].decode("latin-1")
    assert len(stderr) < 10_000, stderr[:3000]
