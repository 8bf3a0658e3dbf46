"""Concurrent POSTs of random bytes to a receiver, remembering what each answer was."""

from __future__ import annotations

import http.client
import os
import threading
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Load:
    """What one load run sent: target -> body for each 200, and a count of every status."""

    acknowledged: dict[str, bytes] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, target: str, body: bytes, status: int) -> None:
        with self._lock:
            self.statuses[status] += 1
            if status == 200:
                self.acknowledged[target] = body


def post(port: int, target: str, body: bytes, timeout: float = 15) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", target, body=body)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def run_load(port: int, tag: str, *, threads: int = 4, each: int = 75) -> Load:
    """`threads` keep-alive clients, `each` POSTs apiece, random bodies of 0 B to 40 KB."""
    load = Load()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            for n in range(each):
                target = f"/{tag}/{index}/{n}"
                body = os.urandom(int.from_bytes(os.urandom(2)) % 40_000 if n % 5 else 0)
                conn.request("POST", target, body=body)
                response = conn.getresponse()
                response.read()
                load.record(target, body, response.status)
        except (OSError, http.client.HTTPException) as exc:
            with load._lock:
                load.failures.append(f"{tag}/{index}: {exc!r}")
        finally:
            conn.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return load
