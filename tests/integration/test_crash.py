"""Kill `hookscope listen` with SIGKILL under concurrent load: every request it acknowledged
must be in the store when the store is opened again."""

from __future__ import annotations

import hashlib
import http.client
import signal
import threading
from pathlib import Path

from hookscope.core.store import Store
from tests.helpers import start_listener, wait_for

CLIENTS = 8
ENOUGH = 100  # acknowledged requests below which the test proves too little


def _body(client: int, n: int) -> bytes:
    # Mix small (inline in SQLite) and large (segment file) bodies.
    size = 300 if n % 3 else 40_000
    seed = f"{client}-{n}".encode()
    return (hashlib.sha256(seed).hexdigest().encode() * (size // 64 + 1))[:size]


def test_every_acknowledged_request_survives_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "captures.db"
    listener = start_listener(db)
    acknowledged: list[tuple[str, bytes]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
        n = 0
        while not stop.is_set():
            body = _body(index, n)
            target = f"/load/{index}/{n}"
            try:
                conn.request("POST", target, body=body)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                return  # the server died mid-request: this one was not acknowledged
            if response.status == 200:
                with lock:
                    acknowledged.append((target, body))
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    # Kill mid-load once it has acknowledged plenty (not after a fixed time: a loaded machine
    # is slower, an idle one faster), or once every client has stopped.
    wait_for(
        lambda: len(acknowledged) > 2 * ENOUGH or not any(t.is_alive() for t in threads),
        timeout=60,
    )
    listener.proc.send_signal(signal.SIGKILL)
    listener.proc.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)

    assert len(acknowledged) > ENOUGH, "the load was too light to prove anything"
    with Store.open(db) as store:
        stored = {c.target: c.body for c in store.iter_captures()}
    missing = [target for target, body in acknowledged if stored.get(target) != body]
    assert not missing, f"{len(missing)} acknowledged captures lost, e.g. {missing[:3]}"
