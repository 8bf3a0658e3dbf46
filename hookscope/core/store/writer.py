"""The store's only writer: one thread, one connection, group commit.

Every capture waiting in the queue goes into one transaction; once it commits, each submitter's
sink is called once with its part of the batch. One commit thus serves many concurrent requests,
and the receiver answers a sender only after its capture is in a committed transaction.
Other mutations (delete, star, clear, import) are queued as operations and run in order.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookscope.core.events import CapturesAdded, EventFeed
from hookscope.core.eventtype import detect_event_type
from hookscope.core.model import Capture
from hookscope.core.store.bodies import INLINE_LIMIT, BodyLog
from hookscope.core.store.schema import configure, migrate

__all__ = ["CommitSink", "StoreWriter"]

# A sink receives, on the writer thread, the committed captures (ids assigned) with the token
# each was submitted with, or the exception that made the commit fail.
CommitSink = Callable[[list[tuple[Capture, Any]], BaseException | None], None]

MAX_BATCH = 1000
MAX_BATCH_BYTES = 64 * 1024 * 1024

_INSERT = """INSERT INTO captures (id, received_us, method, target, path, http_version, headers,
    body_size, content_type, event_type, remote, response_status, response_headers,
    response_body, rejected, rule, read_ms, starred, note, body_seg, body_off)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""
_INSERT_BODY = "INSERT INTO bodies (id, data) VALUES (?, ?)"


@dataclass(slots=True)
class _Insert:
    capture: Capture
    sink: CommitSink
    token: Any


@dataclass(slots=True)
class _Operation:
    run: Callable[[sqlite3.Connection], Any]
    future: Future[Any]


_STOP = object()


def encode_headers(headers: tuple[tuple[str, str], ...]) -> str:
    return json.dumps(headers, ensure_ascii=False, separators=(",", ":"))


class StoreWriter:
    def __init__(
        self, path: Path, bodies: BodyLog, feed: EventFeed, *, durable: bool = False
    ) -> None:
        self.path = path
        self.bodies = bodies
        self.feed = feed
        self.durable = durable
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, name="hookscope-store", daemon=True)
        self._next_id = 1

    def start(self) -> None:
        self._thread.start()
        self._ready.result()  # re-raises a failure to open or migrate

    def stop(self) -> None:
        """Commit what is queued, then close. Safe to call twice."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    # -- submission (any thread) ----------------------------------------------------------

    def submit(self, capture: Capture, sink: CommitSink, token: Any = None) -> None:
        self._queue.put(_Insert(capture, sink, token))

    def call(self, run: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `run(connection)` on the writer thread, in order with inserts; wait for it."""
        future: Future[Any] = Future()
        if not self._thread.is_alive():
            raise RuntimeError("the store is closed")
        self._queue.put(_Operation(run, future))
        return future.result()

    @property
    def next_id(self) -> int:
        """The id the next stored capture gets (read and advanced on the writer thread only)."""
        return self._next_id

    def consume_ids(self, count: int) -> None:
        self._next_id += count

    # -- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
            configure(db, durable=self.durable)
            migrate(db)
            last = db.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0]
            self._next_id = last + 1
        except BaseException as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            self._loop(db)
        finally:
            self.bodies.close()
            db.close()

    def _loop(self, db: sqlite3.Connection) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is _STOP:
                break
            batch = [item]
            size = 0
            while len(batch) < MAX_BATCH and size < MAX_BATCH_BYTES:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
                if isinstance(item, _Insert):
                    size += len(item.capture.body)
            self._process(db, batch)

    def _process(self, db: sqlite3.Connection, batch: list[object]) -> None:
        inserts: list[_Insert] = []
        for item in batch:
            if isinstance(item, _Insert):
                inserts.append(item)
                continue
            if inserts:
                self._commit_inserts(db, inserts)
                inserts = []
            assert isinstance(item, _Operation)
            try:
                item.future.set_result(item.run(db))
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                item.future.set_exception(exc)
        if inserts:
            self._commit_inserts(db, inserts)

    def _commit_inserts(self, db: sqlite3.Connection, inserts: list[_Insert]) -> None:
        first_id = self._next_id
        captures = [item.capture.with_id(first_id + i) for i, item in enumerate(inserts)]
        try:
            write_captures(db, self.bodies, captures)
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._notify(inserts, captures, exc)
            return
        self._next_id = first_id + len(captures)
        self._notify(inserts, captures, None)
        self.feed.publish(CapturesAdded(tuple(captures)))

    @staticmethod
    def _notify(
        inserts: list[_Insert], captures: list[Capture], error: BaseException | None
    ) -> None:
        by_sink: dict[int, tuple[CommitSink, list[tuple[Capture, Any]]]] = {}
        for item, capture in zip(inserts, captures, strict=True):
            entry = by_sink.setdefault(id(item.sink), (item.sink, []))
            entry[1].append((capture, item.token))
        for sink, items in by_sink.values():
            sink(items, error)


def write_captures(db: sqlite3.Connection, bodies: BodyLog, captures: list[Capture]) -> None:
    """Insert captures (ids already assigned) in one transaction; large bodies go to the log
    first, so that the commit never points at bytes that are not written yet."""
    large = [c for c in captures if len(c.body) > INLINE_LIMIT]
    places = dict(zip((c.id for c in large), bodies.append([c.body for c in large]), strict=True))
    rows = []
    inline = []
    for c in captures:
        seg, off = places.get(c.id, (None, None))
        if seg is None and c.body:
            inline.append((c.id, c.body))
        rows.append(
            (
                c.id,
                c.received_us,
                c.method,
                c.target,
                c.path,
                c.http_version,
                encode_headers(c.headers),
                c.body_size,
                c.content_type,
                detect_event_type(c.headers, c.body),
                c.remote,
                c.response_status,
                encode_headers(c.response_headers),
                c.response_body,
                c.rejected,
                c.rule,
                c.read_ms,
                int(c.starred),
                c.note,
                seg,
                off,
            )
        )
    db.execute("BEGIN")
    db.executemany(_INSERT, rows)
    if inline:
        db.executemany(_INSERT_BODY, inline)
    db.execute("COMMIT")
