"""The store's only writer: one thread, one connection, group commit.

Every capture waiting in the queue goes into one transaction; once it commits, each submitter's
sink is called once with its part of the batch. One commit thus serves many concurrent requests,
and the receiver answers a sender only after its capture is in a committed transaction.
Other mutations (delete, star, clear, import) are queued as operations and run in order.

Work that is not needed to make a capture durable waits until the writer is idle: deriving the
content type and event type (which means parsing the body), and WAL checkpoints (which fsync).
"""

from __future__ import annotations

import base64
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from hookscope.core.events import CapturesAdded, EventFeed
from hookscope.core.eventtype import event_type_from_body, event_type_from_headers
from hookscope.core.model import Capture, Header, media_type
from hookscope.core.store.bodies import BodyLog
from hookscope.core.store.schema import configure, migrate

__all__ = ["CommitSink", "StoreWriter", "write_captures"]

# A sink receives, on the writer thread, the committed captures (ids assigned) with the token
# each was submitted with, or the exception that made the commit fail.
CommitSink = Callable[[list[tuple[Capture, Any]], BaseException | None], None]

MAX_BATCH = 1000
MAX_BATCH_BYTES = 64 * 1024 * 1024
IDLE_S = 0.05  # this long without work, and the writer does its deferred chores
CHECKPOINT_PAGES = 8000  # WAL size (pages) past which an idle writer checkpoints anyway

_INSERT = """INSERT INTO captures (id, received_us, method, target, http_version, headers,
    body_size, body_loc, remote, response_status, read_us, answer)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"""


@dataclass(slots=True)
class _Insert:
    """Captures handed over together (one cross-thread hand-off for a whole burst)."""

    captures: list[Capture]
    tokens: list[Any]
    sink: CommitSink


@dataclass(slots=True)
class _Operation:
    run: Callable[[sqlite3.Connection], Any]
    future: Future[Any]


_STOP = object()


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
        self._underived_from = 1  # every id below this has its derived columns filled in

    def start(self) -> None:
        self._thread.start()
        self._ready.result()  # re-raises a failure to open or migrate

    def stop(self) -> None:
        """Commit what is queued, then close. Safe to call twice."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    # -- submission (any thread) ----------------------------------------------------------

    def submit(self, captures: list[Capture], tokens: list[Any], sink: CommitSink) -> None:
        """Queue captures for the next group commit. Submitting a burst in one call costs one
        wake-up of this thread instead of one per capture."""
        self._queue.put(_Insert(captures, tokens, sink))

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
            # Checkpoints fsync: run them when idle, not inside a commit that senders wait on.
            db.execute("PRAGMA wal_autocheckpoint=0")
            migrate(db)
            last = db.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0]
            self._next_id = last + 1
            first_underived = db.execute(
                "SELECT MIN(id) FROM captures WHERE content_type IS NULL"
            ).fetchone()[0]
            self._underived_from = first_underived or self._next_id
        except BaseException as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            self._loop(db)
        finally:
            self.bodies.close()
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()

    def _loop(self, db: sqlite3.Connection) -> None:
        stopping = False
        chores = True
        while not stopping:
            if chores:
                try:
                    item = self._queue.get(timeout=IDLE_S)
                except queue.Empty:
                    chores = self._do_chores(db)
                    continue
            else:
                item = self._queue.get()
            if item is _STOP:
                break
            chores = True
            batch = [item]
            count = size = 0
            while count < MAX_BATCH and size < MAX_BATCH_BYTES:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
                if isinstance(item, _Insert):
                    count += len(item.captures)
                    size += sum(len(c.body) for c in item.captures)
            self._process(db, batch)

    def _do_chores(self, db: sqlite3.Connection) -> bool:
        """One slice of deferred work; True while more remains."""
        if self._underived_from < self._next_id:
            self._underived_from = derive_columns(
                db, self.bodies, self._underived_from, self._next_id
            )
            return True
        wal_pages = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        return bool(wal_pages > CHECKPOINT_PAGES)

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
        captures = [c for item in inserts for c in item.captures]
        next_id = self._next_id
        for capture in captures:
            capture.id = next_id
            next_id += 1
        error: BaseException | None = None
        try:
            write_captures(db, self.bodies, captures)
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            for capture in captures:
                capture.id = None
            error = exc
        else:
            self._next_id = next_id
        for item in inserts:
            item.sink(list(zip(item.captures, item.tokens, strict=True)), error)
        if error is None:
            self.feed.publish(CapturesAdded(tuple(captures)))


def encode_headers(headers: tuple[Header, ...]) -> bytes | None:
    """Header pairs as a JSON array of [name, value] (orjson: ~10x faster than json here,
    and this runs for every capture). No headers is stored as NULL."""
    return orjson.dumps(headers) if headers else None


def encode_answer(capture: Capture) -> bytes | None:
    """What hookscope answered beyond the status, or NULL for a plain answer."""
    if not (capture.rejected or capture.rule or capture.response_headers or capture.response_body):
        return None
    return orjson.dumps(
        {
            "rejected": capture.rejected,
            "rule": capture.rule,
            "headers": capture.response_headers,
            "body_b64": base64.b64encode(capture.response_body).decode("ascii"),
        }
    )


def write_captures(db: sqlite3.Connection, bodies: BodyLog, captures: list[Capture]) -> None:
    """Insert captures (ids already assigned) in one transaction. Bodies are appended to the
    segment log first, so that the commit never points at bytes that are not written yet.
    Only what durability needs happens here: this runs while senders wait."""
    with_body = [c for c in captures if c.body]
    locations = dict(
        zip((id(c) for c in with_body), bodies.append([c.body for c in with_body]), strict=True)
    )
    rows = [
        (
            c.id,
            c.received_us,
            c.method,
            c.target,
            c.http_version,
            encode_headers(c.headers),
            c.body_size,
            locations.get(id(c)),
            c.remote,
            c.response_status,
            int(c.read_ms * 1000),
            encode_answer(c),
        )
        for c in captures
    ]
    db.execute("BEGIN")
    db.executemany(_INSERT, rows)
    marked = [(int(c.starred), c.note, c.id) for c in captures if c.starred or c.note]
    if marked:  # imports carry stars and notes; received captures never do
        db.executemany("UPDATE captures SET starred = ?, note = ? WHERE id = ?", marked)
    db.execute("COMMIT")


def derive_columns(
    db: sqlite3.Connection, bodies: BodyLog, from_id: int, to_id: int, limit: int = 200
) -> int:
    """Fill in content and event types for a slice of ids; returns where the next slice starts.
    Deferred because the event type may need the body parsed as JSON, which would cost every
    request on the receiving path."""
    rows = db.execute(
        "SELECT id, headers, body_size, body_loc FROM captures "
        "WHERE id >= ? AND id < ? AND content_type IS NULL ORDER BY id LIMIT ?",
        (from_id, to_id, limit),
    ).fetchall()
    if not rows:
        return to_id
    updates = []
    for capture_id, headers_blob, size, location in rows:
        headers = tuple(tuple(h) for h in orjson.loads(headers_blob)) if headers_blob else ()
        event_type = event_type_from_headers(headers)
        if not event_type and location is not None and size <= (1 << 20):
            event_type = event_type_from_body(bodies.read(location, size))
        updates.append((media_type(headers), event_type, capture_id))
    db.execute("BEGIN")
    db.executemany("UPDATE captures SET content_type = ?, event_type = ? WHERE id = ?", updates)
    db.execute("COMMIT")
    return int(rows[-1][0]) + 1 if len(rows) == limit else to_id
