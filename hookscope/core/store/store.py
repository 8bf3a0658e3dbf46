"""The capture store: a SQLite file (plus a folder of body segments) that survives restarts.

Writes go through the single writer thread (writer.py); reads use one connection per reading
thread, which WAL lets run beside the writer. Lists read light summaries in pages; bodies are
read on demand.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Any

import orjson

from hookscope.core.errors import StoreError
from hookscope.core.events import (
    CaptureChanged,
    CapturesCleared,
    CapturesDeleted,
    EventFeed,
)
from hookscope.core.faultlog import describe, log_once
from hookscope.core.model import Capture, CaptureSummary, media_type, path_of
from hookscope.core.send.history import SendSummary, StoredSend
from hookscope.core.store import sends
from hookscope.core.store.bodies import BodyLog
from hookscope.core.store.schema import configure
from hookscope.core.store.writer import CommitSink, StoreWriter, write_captures

if TYPE_CHECKING:
    from hookscope.core.send.sender import SendResult

__all__ = ["Store"]

_SUMMARY_COLUMNS = (
    "id, received_us, method, target, response_status, body_size, content_type, event_type, "
    "remote, answer, starred, CASE WHEN content_type IS NULL THEN headers END, note"
)
_FULL_COLUMNS = (
    "id, received_us, method, target, http_version, headers, body_size, body_loc, remote, "
    "response_status, read_us, answer, starred, note, origin"
)


def _summary(row: tuple[Any, ...]) -> CaptureSummary:
    # Columns as in _SUMMARY_COLUMNS. A NULL content type has not been derived yet (the writer
    # does that when idle); the headers then come along so it can be derived here. Repeating
    # strings are interned (see model.summarize).
    (
        cid,
        received_us,
        method,
        target,
        status,
        size,
        ctype,
        etype,
        remote,
        answer,
        starred,
        headers,
        note,
    ) = row
    if ctype is None:
        ctype = media_type(_decode_headers(headers))
    return CaptureSummary(
        id=cid,
        received_us=received_us,
        method=intern(method),
        target=target,
        path=path_of(target),
        response_status=status,
        body_size=size,
        content_type=intern(ctype),
        event_type=intern(etype) if etype else "",
        remote=intern(remote),
        rejected=orjson.loads(answer)["rejected"] if answer is not None else None,
        starred=bool(starred),
        note=note,
    )


def _decode_headers(blob: bytes | None) -> tuple[tuple[str, str], ...]:
    return tuple((n, v) for n, v in orjson.loads(blob)) if blob else ()


class Store:
    """Open with `Store.open(path)`; close with `close()` (or use as a context manager)."""

    def __init__(self, path: Path, *, durable: bool = False) -> None:
        self.path = path
        self.durable = durable
        self.feed = EventFeed()
        self.bodies = BodyLog(path.with_name(path.name + "-bodies"), durable=durable)
        self._writer = StoreWriter(path, self.bodies, self.feed, durable=durable)
        self._writer.read_others = self._captures_between
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str, *, durable: bool = False) -> Store:
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the store {path}: {exc}") from exc
        if not path.exists():  # webhooks carry secrets: the store is the owner's alone
            try:
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            except OSError as exc:
                raise StoreError(f"cannot create the store {path}: {exc.strerror}") from exc
        store = cls(path, durable=durable)
        try:
            store._writer.start()
        except sqlite3.OperationalError as exc:  # locked, unreadable, ...: not damage
            raise StoreError(f"cannot open the store {path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is damaged: {exc}") from exc
        return store

    def close(self) -> None:
        self._writer.stop()
        with self._readers_lock:
            for db in self._readers:
                db.close()
            self._readers.clear()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------

    def submit(self, captures: list[Capture], tokens: list[Any], sink: CommitSink) -> None:
        """Queue captures for the next group commit; `sink` hears, on the writer thread, when
        they are durable (or why they are not)."""
        self._writer.submit(captures, tokens, sink)

    def add(self, capture: Capture) -> Capture:
        """Store one capture and wait for its commit; returns it with its id."""
        future: Future[Capture] = Future()

        def sink(items: list[tuple[Capture, Any]], error: BaseException | None) -> None:
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(items[0][0])

        self._writer.submit([capture], [None], sink)
        return future.result()

    def add_many(self, captures: Sequence[Capture]) -> list[Capture]:
        """Store captures in one transaction: all of them, or none (imports rely on this)."""

        def run(db: sqlite3.Connection) -> list[Capture]:
            stored = [replace(c, id=None) for c in captures]
            write_captures(db, self.bodies, stored)
            if stored:
                self._writer.rewind_chores(stored[0].id)
            self._writer.publish_added(stored)
            return stored

        result: list[Capture] = self._writer.call(run)
        return result

    def delete(self, ids: Iterable[int]) -> int:
        """Delete captures in one transaction, then overwrite their bodies with zeros: what the
        user deleted (a leaked secret, say) does not stay on disk."""
        wanted = sorted(set(ids))

        def run(db: sqlite3.Connection) -> int:
            db.execute("BEGIN IMMEDIATE")
            deleted = 0
            erased: list[tuple[int, int]] = []
            for start in range(0, len(wanted), 500):  # bound the number of SQL variables
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                erased += db.execute(
                    f"SELECT body_loc, body_size FROM captures WHERE id IN ({marks}) "
                    "AND body_loc IS NOT NULL",
                    chunk,
                ).fetchall()
                deleted += db.execute(f"DELETE FROM captures WHERE id IN ({marks})", chunk).rowcount
            db.execute("COMMIT")
            self.feed.publish(CapturesDeleted(tuple(wanted)))
            try:
                self.bodies.erase(erased)
            except OSError as exc:
                log_once(f"could not erase deleted bodies: {describe(exc)}")
            return deleted

        count: int = self._writer.call(run)
        return count

    def clear(self) -> None:
        def run(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM captures")
            sizes = self.bodies.sizes()  # under the write lock: every byte rows pointed at
            db.execute("COMMIT")
            self._writer.forget_seen()
            self.feed.publish(CapturesCleared())
            try:
                self.bodies.empty(sizes)
            except OSError as exc:
                log_once(f"could not empty the body segments: {describe(exc)}")
            # Best effort: another process reading the store may hold the WAL for now.
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")

        self._writer.call(run)

    def set_starred(self, capture_id: int, starred: bool) -> None:
        self._update_marks(capture_id, "starred", int(starred))

    def set_note(self, capture_id: int, note: str) -> None:
        self._update_marks(capture_id, "note", note)

    def _update_marks(self, capture_id: int, column: str, value: object) -> None:
        def run(db: sqlite3.Connection) -> None:
            db.execute(f"UPDATE captures SET {column} = ? WHERE id = ?", (value, capture_id))
            row = db.execute(
                "SELECT starred, note FROM captures WHERE id = ?", (capture_id,)
            ).fetchone()
            if row is not None:
                self.feed.publish(CaptureChanged(capture_id, bool(row[0]), row[1]))

        self._writer.call(run)

    # -- send history ---------------------------------------------------------------------

    def add_send(self, result: SendResult, *, scheme: str | None = None, source: str = "") -> int:
        """Keep a send (the request as it went out, and its answer); returns its id. Only the
        signing scheme's name is kept: secrets never enter the store."""

        def run(db: sqlite3.Connection) -> int:
            return sends.insert_send(db, result, scheme, source)

        send_id: int = self._writer.call(run)
        return send_id

    def send_summaries(
        self, *, before_id: int | None = None, limit: int = 200
    ) -> list[SendSummary]:
        """The latest sends first, light rows without bodies, paged by `before_id`."""
        where, params = ("WHERE id < ?", (before_id,)) if before_id is not None else ("", ())
        sql = f"{sends.SUMMARY_SQL} {where} ORDER BY id DESC LIMIT ?"
        return [sends.summary_from_row(row) for row in self._db().execute(sql, (*params, limit))]

    def get_send(self, send_id: int) -> StoredSend | None:
        row = self._db().execute(f"{sends.FULL_SQL} WHERE id = ?", (send_id,)).fetchone()
        return None if row is None else sends.send_from_row(row)

    def clear_sends(self) -> None:
        def run(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM sends")
            db.execute("COMMIT")

        self._writer.call(run)

    # -- other tables (the forwarding outbox) ---------------------------------------------

    def catch_up(self) -> None:
        """Another process has committed captures: publish them (`CapturesAdded(external=
        True)`) now, not at the next idle poll. Safe from any thread; calls coalesce."""
        self._writer.look_soon()

    def write(self, run: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `run(connection)` on the writer thread, in order with inserts, and wait for it:
        how modules with tables of their own (store/outbox.py) write."""
        return self._writer.call(run)

    def write_soon(self, run: Callable[[sqlite3.Connection], Any]) -> Future[Any]:
        """`write` without blocking the caller: an event loop awaits the future (wrapped)
        instead of parking a worker thread on it for every commit."""
        return self._writer.call_soon(run)

    def reader(self) -> sqlite3.Connection:
        """This thread's read connection."""
        return self._db()

    # -- reading (any thread) -------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            configure(db)
            self._local.db = db
            with self._readers_lock:
                self._readers.append(db)
        return db

    def count(self) -> int:
        result: int = self._db().execute("SELECT COUNT(*) FROM captures").fetchone()[0]
        return result

    def summaries(
        self,
        *,
        before_id: int | None = None,
        after_id: int | None = None,
        limit: int = 500,
        newest_first: bool = True,
    ) -> list[CaptureSummary]:
        """A page of summaries by keyset (`before_id`/`after_id`), never OFFSET."""
        clauses, params = [], []
        if before_id is not None:
            clauses.append("id < ?")
            params.append(before_id)
        if after_id is not None:
            clauses.append("id > ?")
            params.append(after_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM captures {where} ORDER BY id {order} LIMIT ?"
        return [_summary(row) for row in self._db().execute(sql, (*params, limit))]

    def all_summaries(self) -> list[CaptureSummary]:
        """Every summary in arrival order (one pass; ~100 bytes each in memory)."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM captures ORDER BY id"
        return [_summary(row) for row in self._db().execute(sql)]

    def get(self, capture_id: int) -> Capture | None:
        row = (
            self._db()
            .execute(f"SELECT {_FULL_COLUMNS} FROM captures WHERE id = ?", (capture_id,))
            .fetchone()
        )
        return None if row is None else self._capture(row)

    def body(self, capture_id: int) -> bytes:
        row = (
            self._db()
            .execute("SELECT body_loc, body_size FROM captures WHERE id = ?", (capture_id,))
            .fetchone()
        )
        if row is None or row[0] is None:
            return b""
        return self.bodies.read(row[0], row[1])

    def iter_captures(
        self, ids: Iterable[int] | None = None, *, page: int = 200
    ) -> Iterator[Capture]:
        """Captures with bodies in id order, a page at a time, so memory stays bounded."""
        db = self._db()
        base = f"SELECT {_FULL_COLUMNS} FROM captures"
        if ids is not None:
            wanted = sorted(set(ids))
            for start in range(0, len(wanted), page):
                chunk = wanted[start : start + page]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"{base} WHERE id IN ({marks}) ORDER BY id", chunk)
                yield from (self._capture(row) for row in rows.fetchall())
            return
        last = 0
        while True:
            rows = db.execute(f"{base} WHERE id > ? ORDER BY id LIMIT ?", (last, page))
            batch = rows.fetchall()
            if not batch:
                return
            for row in batch:
                yield self._capture(row)
            last = batch[-1][0]

    def _captures_between(self, after: int, before: int | None) -> Iterator[list[Capture]]:
        """Pages of captures with `after < id < before` (no upper bound for None)."""
        db = self._db()
        base = f"SELECT {_FULL_COLUMNS} FROM captures WHERE id > ?"
        bound = "" if before is None else f" AND id < {int(before)}"
        last = after
        while True:
            batch = db.execute(f"{base}{bound} ORDER BY id LIMIT 200", (last,)).fetchall()
            if not batch:
                return
            yield [self._capture(row) for row in batch]
            last = batch[-1][0]

    def _capture(self, row: tuple[Any, ...]) -> Capture:
        (
            cid,
            received_us,
            method,
            target,
            http_version,
            headers,
            body_size,
            body_loc,
            remote,
            status,
            read_us,
            answer_blob,
            starred,
            note,
            origin,
        ) = row
        answer = orjson.loads(answer_blob) if answer_blob is not None else {}
        return Capture(
            id=cid,
            received_us=received_us,
            method=method,
            target=target,
            http_version=http_version,
            headers=_decode_headers(headers),
            body=self.bodies.read(body_loc, body_size) if body_loc is not None else b"",
            body_size=body_size,
            remote=remote,
            response_status=status,
            response_headers=tuple((n, v) for n, v in answer.get("headers", ())),
            response_body=base64.b64decode(answer.get("body_b64", "")),
            rejected=answer.get("rejected"),
            rule=answer.get("rule"),
            read_ms=read_us / 1000,
            starred=bool(starred),
            note=note,
            origin=origin,
        )
