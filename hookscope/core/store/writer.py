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
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from hookscope.core.errors import StoreError
from hookscope.core.events import CapturesAdded, EventFeed
from hookscope.core.eventtype import event_type_from_body, event_type_from_headers
from hookscope.core.faultlog import Problems, describe, log, log_once
from hookscope.core.model import Capture, Header, media_type
from hookscope.core.store.bodies import BodyLog
from hookscope.core.store.schema import configure, migrate

__all__ = ["CommitSink", "StoreWriter", "write_captures"]

# A sink receives, on the writer thread, the committed captures (ids assigned) with the token
# each was submitted with, or the exception that made the commit fail.
CommitSink = Callable[[list[tuple[Capture, Any]], BaseException | None], None]

MAX_BATCH = 1000
MAX_BATCH_BYTES = 64 * 1024 * 1024
IDLE_S = 0.05
# How often an idle writer looks for captures that another process (a second `listen`, an
# `import`) committed to the same store, so that this process's subscribers see them too.
POLL_S = 0.25  # this long without work, and the writer does its deferred chores

_INSERT = """INSERT INTO captures (id, received_us, method, target, http_version, headers,
    body_size, body_loc, remote, response_status, read_us, answer)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"""


@dataclass(slots=True)
class _Insert:
    """Captures handed over together (one cross-thread hand-off for a whole burst)."""

    captures: list[Capture]
    tokens: list[Any]
    sink: CommitSink
    notified: bool = False


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
        self._underived_from = 1  # every id below this has its derived columns filled in
        # The largest capture id this process has published (its own or found); rows above it
        # that it did not write were committed by another process.
        self._seen_max = 0
        self._data_version = 0
        # Reads captures `after < id < before` (None: no bound) in pages, for the catch-up.
        self.read_others: Callable[[int, int | None], Iterator[list[Capture]]] | None = None
        self._commits = Problems("storing captures again")
        self._failed: BaseException | None = None
        self._closed = False  # set once the thread has ended, however it ended
        self._batch: list[object] = []  # taken from the queue, maybe not yet answered
        self._look_queued = threading.Event()  # a look_soon is waiting its turn

    def start(self) -> None:
        self._thread.start()
        self._ready.result()  # re-raises a failure to open or migrate

    def stop(self) -> None:
        """Commit what is queued, then close. Safe to call twice."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    @property
    def failed(self) -> BaseException | None:
        """Why the writer thread ended unexpectedly, or None while it serves (see _run)."""
        return self._failed

    # -- submission (any thread) ----------------------------------------------------------

    def submit(self, captures: list[Capture], tokens: list[Any], sink: CommitSink) -> None:
        """Queue captures for the next group commit. Submitting a burst in one call costs one
        wake-up of this thread instead of one per capture. A dead writer fails them at once."""
        self._queue.put(_Insert(captures, tokens, sink))
        if self._closed:  # checked after the put, so nothing queued is left over
            self._drain()

    def call(self, run: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `run(connection)` on the writer thread, in order with inserts; wait for it."""
        future: Future[Any] = Future()
        if not self._thread.is_alive():
            raise self._dead()
        self._queue.put(_Operation(run, future))
        if self._closed:
            self._drain()
        return future.result()

    def call_soon(self, run: Callable[[sqlite3.Connection], Any]) -> Future[Any]:
        """`call` without waiting: the future resolves on the writer thread once `run` has."""
        future: Future[Any] = Future()
        if not self._thread.is_alive():
            future.set_exception(self._dead())
            return future
        self._queue.put(_Operation(run, future))
        if self._closed:
            self._drain()
        return future

    def look_soon(self) -> None:
        """Look for other processes' commits now rather than at the next idle poll (another
        process said it committed). Calls while one look is waiting add nothing."""
        if self._look_queued.is_set():
            return
        self._look_queued.set()

        def look(db: sqlite3.Connection) -> None:
            self._look_queued.clear()  # first: a commit said after this point looks again
            self._look_for_others(db)

        self.call_soon(look)

    def rewind_chores(self, first_id: int | None) -> None:
        """Rows from `first_id` on were just written (writer thread only). Ids restart low
        after Clear all, so the chores' cursor may have to move back to find them."""
        if first_id is not None and first_id < self._underived_from:
            self._underived_from = first_id

    def _dead(self) -> StoreError:
        if self._failed is None:
            return StoreError("the store is closed")
        return StoreError(f"the store stopped writing: {describe(self._failed)}")

    # -- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True)
            configure(db, durable=self.durable)
            # Checkpoints fsync: run them when idle, not inside a commit that senders wait on.
            db.execute("PRAGMA wal_autocheckpoint=0")
            # Deleted rows (their headers carry secrets too) are zeroed in the file, not left
            # in free pages; this costs deletes only.
            db.execute("PRAGMA secure_delete=ON")
            migrate(db)
            first_underived = db.execute(
                "SELECT MIN(id) FROM captures WHERE content_type IS NULL"
            ).fetchone()[0]
            if first_underived is None:
                first_underived = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM captures")
                first_underived = first_underived.fetchone()[0]
            self._underived_from = first_underived
            self._seen_max = db.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0]
            self._data_version = db.execute("PRAGMA data_version").fetchone()[0]
        except BaseException as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            self._loop(db)
        except BaseException as exc:  # a bug, not a fault of the input or the disk
            self._failed = exc
            log.error("hookscope: store: the writer stopped: %s", describe(exc))
        finally:
            self._close(db)
            # The supervisor path: whatever is queued, and whatever comes later, fails at
            # once (503 to a sender), so that no request waits for an answer forever.
            self._closed = True
            self._drain()

    def _close(self, db: sqlite3.Connection) -> None:
        try:  # nothing here may keep the thread from failing what is still queued
            self.bodies.close()
            # Another process may be reading: do not wait for it, the last one out checkpoints.
            db.execute("PRAGMA busy_timeout=0")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except (OSError, sqlite3.Error):
            pass
        finally:
            db.close()

    def _drain(self) -> None:
        error = self._dead()
        batch, self._batch = self._batch, []
        for item in batch:
            _abandon(item, error)
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            _abandon(item, error)

    def _loop(self, db: sqlite3.Connection) -> None:
        stopping = False
        chores = True
        while not stopping:
            try:
                item = self._queue.get(timeout=IDLE_S if chores else POLL_S)
            except queue.Empty:
                chores = self._do_chores(db) if chores else False
                self._look_for_others(db)
                continue
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
            self._batch = batch
            self._process(db, batch)
            self._batch = []

    def _do_chores(self, db: sqlite3.Connection) -> bool:
        """One slice of deferred work; True while more remains. A chore that fails is logged
        and tried again after the next write, never in a tight loop."""
        try:
            following = derive_columns(db, self.bodies, self._underived_from)
            if following is not None:
                self._underived_from = following
                return True
            # PASSIVE never waits: with another process reading, it copies what it can and
            # the rest is copied by a later checkpoint.
            db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except Exception as exc:
            _rollback(db)
            log_once(f"deferred work failed (tried again later): {describe(exc)}")
        return False

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
            except Exception as exc:
                _rollback(db)
                item.future.set_exception(exc)
        if inserts:
            self._commit_inserts(db, inserts)

    def _commit_inserts(self, db: sqlite3.Connection, inserts: list[_Insert]) -> None:
        captures = [c for item in inserts for c in item.captures]
        error: Exception | None = None
        try:
            write_captures(db, self.bodies, captures)
        except Exception as exc:  # the senders hear 503 and retry; the writer goes on
            error = exc
            self._commits.failed("could not store captures (answered 503)", exc)
        else:
            self._commits.recovered()
            self.rewind_chores(captures[0].id)
        for item in inserts:
            _notify(item, error)
        if error is None:
            self.publish_added(captures)

    # -- captures committed by other processes (writer thread only) ---------------------

    def publish_added(self, captures: list[Capture]) -> None:
        """Tell subscribers about captures this process just committed, after any that other
        processes committed before them (ids are assigned in commit order, so a gap below
        ours is theirs): subscribers always see ids in increasing order."""
        if not captures:
            return
        first = captures[0].id
        assert first is not None
        if first - 1 > self._seen_max:
            try:
                self._publish_others(before=first)
            except Exception as exc:  # ours are committed: they are announced regardless
                log_once(f"could not read captures from other processes: {describe(exc)}")
        self.feed.publish(CapturesAdded(tuple(captures)))
        self._seen_max = max(self._seen_max, captures[-1].id or 0)

    def forget_seen(self) -> None:
        """After Clear all, ids start again from 1."""
        self._seen_max = 0

    def _look_for_others(self, db: sqlite3.Connection) -> None:
        """When idle: has another connection committed since we last looked? (`data_version`
        changes only for other connections' commits, and costs no I/O.)"""
        try:
            version = db.execute("PRAGMA data_version").fetchone()[0]
            if version == self._data_version:
                return
            self._data_version = version
            newest = db.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0]
            if newest < self._seen_max:  # another process deleted or cleared
                self._seen_max = newest
            elif newest > self._seen_max:
                self._publish_others(before=None)
        except Exception as exc:
            log_once(f"could not look for captures from other processes: {describe(exc)}")

    def _publish_others(self, *, before: int | None) -> None:
        read = self.read_others
        if read is None:
            return
        for page in read(self._seen_max, before):
            if page:
                self.feed.publish(CapturesAdded(tuple(page), external=True))
                self._seen_max = max(self._seen_max, page[-1].id or 0)


def _abandon(item: object, error: BaseException) -> None:
    if isinstance(item, _Insert) and not item.notified:
        _notify(item, error)
    elif isinstance(item, _Operation) and not item.future.done():
        item.future.set_exception(error)


def _notify(item: _Insert, error: BaseException | None) -> None:
    item.notified = True
    try:
        item.sink(list(zip(item.captures, item.tokens, strict=True)), error)
    except Exception as exc:  # one broken sink must not keep the others from hearing
        log_once(f"a commit listener failed: {describe(exc)}")


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        # SQLite may have rolled back already (it does on some errors, e.g. a full disk).
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")


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
    """Insert captures in one transaction, all or none, and give them their ids.

    Ids come from inside the write transaction (BEGIN IMMEDIATE, then MAX(id) on the primary
    key b-tree), so writers in other processes never collide. Bodies are appended while the
    write lock is held, before the commit, so that a committed row never points at bytes not
    yet written, and Clear all knows which bytes are taken. If anything fails, the appended
    bytes are truncated away and no capture gets an id. Only what durability needs happens
    here: this runs while senders wait."""
    with_body = [c for c in captures if c.body]
    db.execute("BEGIN IMMEDIATE")
    places: list[int] = []
    try:
        first = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM captures").fetchone()[0]
        if with_body:
            places = bodies.append([c.body for c in with_body])
        locations = dict(zip((id(c) for c in with_body), places, strict=True))
        rows = [
            (
                first + i,
                c.received_us,
                c.method,
                c.target,
                c.http_version,
                encode_headers(c.headers),
                c.body_size,
                locations.get(id(c)),
                c.remote,
                c.response_status,
                round(c.read_ms * 1000),
                encode_answer(c),
            )
            for i, c in enumerate(captures)
        ]
        db.executemany(_INSERT, rows)
        marked = [
            (int(c.starred), c.note, first + i)
            for i, c in enumerate(captures)
            if c.starred or c.note
        ]
        if marked:  # imports carry stars and notes; received captures never do
            db.executemany("UPDATE captures SET starred = ?, note = ? WHERE id = ?", marked)
        origins = [(c.origin, first + i) for i, c in enumerate(captures) if c.origin]
        if origins:  # likewise: only imports know another scheme and host
            db.executemany("UPDATE captures SET origin = ? WHERE id = ?", origins)
        db.execute("COMMIT")
    except BaseException:
        _rollback(db)
        bodies.discard(places)
        raise
    for i, capture in enumerate(captures):
        capture.id = first + i


# event_type NULL beside a content type means "could not derive" (a body that crashed the
# parser, a damaged segment): the row is marked so that it is never tried again.
_UPDATE_DERIVED = (
    "UPDATE captures SET content_type = ?, event_type = ? WHERE id = ? AND content_type IS NULL"
)


def derive_columns(
    db: sqlite3.Connection, bodies: BodyLog, from_id: int, limit: int = 200
) -> int | None:
    """Fill in content and event types for a slice of rows from `from_id` on; returns where
    the next slice starts, or None when there is nothing left. Deferred because the event type
    may need the body parsed as JSON, which would cost every request on the receiving path.
    Idempotent: any writer of the store may derive any row (the first one's values stay)."""
    rows = db.execute(
        "SELECT id, headers, body_size, body_loc FROM captures "
        "WHERE id >= ? AND content_type IS NULL ORDER BY id LIMIT ?",
        (from_id, limit),
    ).fetchall()
    if not rows:
        return None
    updates = [_derive(bodies, *row) for row in rows]
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(_UPDATE_DERIVED, updates)
        db.execute("COMMIT")
    except BaseException:
        _rollback(db)
        raise
    return int(rows[-1][0]) + 1


def _derive(
    bodies: BodyLog, capture_id: int, headers_blob: bytes | None, size: int, location: int | None
) -> tuple[str, str | None, int]:
    content_type = ""
    try:
        headers = tuple(tuple(h) for h in orjson.loads(headers_blob)) if headers_blob else ()
        content_type = media_type(headers)
        event_type = event_type_from_headers(headers)
        if not event_type and location is not None and size <= (1 << 20):
            event_type = event_type_from_body(bodies.read(location, size))
    except Exception as exc:  # RecursionError, a missing segment, ...: skip it, for good
        log_once(f"could not derive the type of capture {capture_id}: {describe(exc)}")
        return content_type, None, capture_id
    return content_type, event_type, capture_id
