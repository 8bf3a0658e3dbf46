"""Store-and-forward across a kill -9 of `hookscope listen`: every capture it acknowledged
reaches the handler at least once after a restart, in arrival order, and a delivery cut short by
the crash shows as an interrupted attempt beside the one that followed."""

from __future__ import annotations

import http.client
import signal
import sqlite3
import threading
from pathlib import Path

from hookscope.core.store import outbox
from tests.handler import Handler
from tests.helpers import Listener, start_listener, wait_for

QUEUE = ("--forward-mode", "queue", "--forward-retry", "fixed", "--forward-attempts", "1000",
         "--forward-base", "0.05")  # fmt: skip


def _listen(db: Path, handler: Handler) -> Listener:
    return start_listener(db, "--forward", handler.url, *QUEUE)


def _kill(listener: Listener) -> None:
    listener.proc.send_signal(signal.SIGKILL)
    listener.proc.wait(timeout=10)


def test_acknowledged_under_load_then_kill_9_all_delivered_after_restart(tmp_path: Path) -> None:
    handler = Handler().start()
    db = tmp_path / "captures.db"
    listener = _listen(db, handler)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
        n = 0
        while not stop.is_set():
            target = f"/load/{index}/{n}"
            try:
                conn.request("POST", target, body=target.encode())
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                return
            if response.status == 200:
                with lock:
                    acknowledged.append(target)
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    try:
        for thread in threads:
            thread.start()
        # Kill mid-load once plenty is acknowledged, however fast this machine is today.
        wait_for(
            lambda: len(acknowledged) > 100 or not any(t.is_alive() for t in threads), timeout=60
        )
        _kill(listener)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        assert len(acknowledged) > 50, "the load was too light to prove anything"
        restarted = _listen(db, handler)
        try:
            wanted = set(acknowledged)

            def all_delivered() -> bool:
                return wanted <= {r.target for r in handler.received}

            wait_for(all_delivered, timeout=60)
            for got in handler.received:
                assert got.body == got.target.encode()
        finally:
            assert restarted.stop() == 0
    finally:
        handler.stop()


def test_pending_deliveries_resume_in_order_after_kill_9(tmp_path: Path) -> None:
    handler = Handler().start()
    url = handler.url
    handler.stop()  # down: everything stays pending
    db = tmp_path / "captures.db"
    listener = _listen(db, handler)
    try:
        for n in range(15):
            conn = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
            conn.request("POST", f"/o/{n}", body=str(n).encode())
            assert conn.getresponse().status == 200
            conn.close()
    finally:
        _kill(listener)
    handler.start()
    assert handler.url == url
    restarted = _listen(db, handler)
    try:
        handler.wait(15, timeout=30)
        firsts: list[str] = []
        for got in handler.received:
            if got.target not in firsts:
                firsts.append(got.target)
        assert firsts == [f"/o/{n}" for n in range(15)]
    finally:
        assert restarted.stop() == 0
        handler.stop()


def test_a_delivery_cut_by_the_crash_is_visible_twice(tmp_path: Path) -> None:
    handler = Handler(behaviour="hang").start()
    db = tmp_path / "captures.db"
    listener = _listen(db, handler)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
        conn.request("POST", "/twice", body=b"once?")
        assert conn.getresponse().status == 200
        handler.wait(1)  # the handler has it, and has not answered
    finally:
        _kill(listener)
    handler.behaviour = "answer"
    restarted = _listen(db, handler)
    try:
        got = handler.wait(2)
        assert got[0].body == got[1].body == b"once?"
        reader = sqlite3.connect(db)

        def answered() -> bool:
            attempts = outbox.attempts_for(reader, 1)
            return len(attempts) == 2 and attempts[1].status == 200

        wait_for(answered)
        first, second = outbox.attempts_for(reader, 1)
        assert first.error == outbox.INTERRUPTED
        assert first.delivery_id == second.delivery_id
        assert second.n == 2
        reader.close()
    finally:
        assert restarted.stop() == 0
        handler.stop()
