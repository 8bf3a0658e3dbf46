"""The forwarding outbox (schema version 3): SQL for deliveries and their attempts.

Write functions run on the store's writer thread inside a transaction their caller opens (the
forwarder batches many into one commit); read functions run on any reader connection.

A delivery is one capture on its way to one target: `pending` until an attempt succeeds
(`delivered`) or the retry policy gives up (`failed`). Every attempt is a row, written before the
request goes out and completed when its answer is in: an attempt a crash interrupted is visible
(`interrupted`), and so is a delivery that therefore reached the handler twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from hookscope.core.model import Header

__all__ = [
    "DELIVERED",
    "FAILED",
    "INTERRUPTED",
    "PENDING",
    "AttemptRow",
    "DeliveryRow",
    "TargetCounts",
    "attempts_for",
    "counts",
    "enqueue",
    "finish_attempt",
    "intake",
    "interrupt_attempt",
    "interrupt_unfinished",
    "latest_by_capture",
    "pending",
    "record_complete",
    "register_targets",
    "start_attempt",
    "start_attempts",
    "unstart_attempts",
    "update_delivery",
]

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
INTERRUPTED = "interrupted: hookscope stopped before the answer came (the handler may have it)"

_DELIVERY_COLUMNS = (
    "id, capture_id, target, mode, state, attempts, next_us, created_us, last_status, last_error"
)
_ATTEMPT_COLUMNS = (
    "id, delivery_id, capture_id, target, n, started_us, duration_us, method, url, status, error, "
    "response_size, request_headers, response_headers, response_body"
)


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: int
    capture_id: int
    target: str
    mode: str
    state: str
    attempts: int
    next_us: int
    created_us: int
    last_status: int | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """One attempt; `duration_ms` None while it is in flight."""

    id: int
    delivery_id: int
    capture_id: int
    target: str
    n: int
    started_us: int
    duration_ms: float | None
    method: str
    url: str
    status: int | None
    error: str | None
    response_size: int | None
    request_headers: tuple[Header, ...]
    response_headers: tuple[Header, ...]
    response_body: bytes

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class TargetCounts:
    pending: int = 0
    delivered: int = 0
    failed: int = 0
    failing: int = 0  # pending, and its last attempt failed


# -- writing (writer thread, inside the caller's transaction) --------------------------------


def register_targets(db: sqlite3.Connection, names: Iterable[str]) -> None:
    """A target seen for the first time starts after the captures already stored: configuring
    a forward does not replay the store's history (`enqueue` does that on request)."""
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM captures").fetchone()[0]
    db.executemany(
        "INSERT OR IGNORE INTO forward_targets (name, seen_id) VALUES (?, ?)",
        [(name, last) for name in names],
    )


def interrupt_unfinished(db: sqlite3.Connection) -> int:
    """Attempts left in flight by a process that died: say so, keep their delivery pending."""
    return db.execute(
        "UPDATE forward_attempts SET duration_us = 0, error = ? WHERE duration_us IS NULL",
        (INTERRUPTED,),
    ).rowcount


def interrupt_attempt(db: sqlite3.Connection, attempt_id: int) -> None:
    """An attempt cut short by a stop: its answer, if any, is unknown."""
    db.execute(
        "UPDATE forward_attempts SET duration_us = 1, error = ? WHERE id = ?",
        (INTERRUPTED, attempt_id),
    )


# Per target: its name, mode, whether a capture (by its request target, and `rule` as stored)
# is to be delivered to it.
Wants = Callable[[str, str | None], bool]


def intake(
    db: sqlite3.Connection, targets: Sequence[tuple[str, str, Wants]], now_us: int
) -> list[DeliveryRow]:
    """New deliveries for every capture stored since each target last looked, in id order.
    The captures table itself is the durable record of what is owed: a capture acknowledged
    just before a crash is found here by the next intake."""
    if not targets:
        return []
    seen = dict(db.execute("SELECT name, seen_id FROM forward_targets").fetchall())
    start = min(seen.get(name, 0) for name, _, _ in targets)
    rows = db.execute(
        "SELECT id, target, answer FROM captures WHERE id > ? AND method != '' ORDER BY id",
        (start,),
    ).fetchall()
    if not rows:
        return []
    made: list[tuple[Any, ...]] = []
    for capture_id, request_target, answer_blob in rows:
        rule = None
        if answer_blob is not None:
            answer = orjson.loads(answer_blob)
            if answer.get("rejected"):
                continue  # refused by hookscope: its body was not kept
            rule = answer.get("rule")
        for name, mode, wants in targets:
            if capture_id > seen.get(name, 0) and wants(request_target, rule):
                made.append((capture_id, name, mode, PENDING, now_us))
    last = rows[-1][0]
    db.executemany(
        "UPDATE forward_targets SET seen_id = ? WHERE name = ? AND seen_id < ?",
        [(last, name, last) for name, _, _ in targets],
    )
    return _insert_deliveries(db, made)


def enqueue(
    db: sqlite3.Connection, capture_ids: Iterable[int], target: str, mode: str, now_us: int
) -> list[DeliveryRow]:
    """New pending deliveries of stored captures (a redelivery on request); ids of captures
    that are gone or were refused are skipped."""
    wanted = sorted(set(capture_ids))
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for capture_id, answer_blob in db.execute(
            f"SELECT id, answer FROM captures WHERE id IN ({marks}) AND method != '' ORDER BY id",
            chunk,
        ):
            if answer_blob is not None and orjson.loads(answer_blob).get("rejected"):
                continue
            rows.append((capture_id, target, mode, PENDING, now_us))
    return _insert_deliveries(db, rows)


def _insert_deliveries(db: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> list[DeliveryRow]:
    made = []
    for row in rows:
        cursor = db.execute(
            "INSERT INTO forward_deliveries (capture_id, target, mode, state, created_us) "
            "VALUES (?,?,?,?,?)",
            row,
        )
        assert cursor.lastrowid is not None
        capture_id, target, mode, state, created = row
        row_id = cursor.lastrowid
        made.append(DeliveryRow(row_id, capture_id, target, mode, state, 0, 0, created, None, None))
    return made


def start_attempt(
    db: sqlite3.Connection,
    delivery: DeliveryRow,
    n: int,
    started_us: int,
    method: str,
    url: str,
    headers: tuple[Header, ...],
) -> int:
    """The attempt's row, before its request goes out; returns its id."""
    cursor = db.execute(
        "INSERT INTO forward_attempts (delivery_id, capture_id, target, n, started_us, method, "
        "url, request_headers) VALUES (?,?,?,?,?,?,?,?)",
        (delivery.id, delivery.capture_id, delivery.target, n, started_us, method, url,
         _blob(headers)),
    )  # fmt: skip
    assert cursor.lastrowid is not None
    # Counted now: an attempt a crash cuts short still counts, and the next one is n + 1.
    db.execute(
        "UPDATE forward_deliveries SET attempts = ? WHERE id = ? AND attempts < ?",
        (n, delivery.id, n),
    )
    return cursor.lastrowid


# (delivery, n, started_us, method, url, headers): one attempt about to go out.
Start = tuple[DeliveryRow, int, int, str, str, tuple[Header, ...]]


def start_attempts(db: sqlite3.Connection, starts: Sequence[Start]) -> list[int]:
    """The rows of several attempts at once (one commit for a lane's next deliveries); ids in
    the same order."""
    return [start_attempt(db, *start) for start in starts]


def unstart_attempts(db: sqlite3.Connection, started: Sequence[tuple[int, DeliveryRow]]) -> None:
    """Attempts started ahead whose requests never went out (a retry, a pause or a stop came
    first): gone, as if never started, and their deliveries' counts as they were. Only rows
    still in flight: one that has an answer went out."""
    for attempt_id, delivery in started:
        gone = db.execute(
            "DELETE FROM forward_attempts WHERE id = ? AND duration_us IS NULL", (attempt_id,)
        ).rowcount
        if gone:
            db.execute(
                "UPDATE forward_deliveries SET attempts = ? WHERE id = ?",
                (delivery.attempts, delivery.id),
            )


def finish_attempt(
    db: sqlite3.Connection,
    attempt_id: int,
    *,
    started_us: int | None = None,
    duration_ms: float,
    status: int | None,
    error: str | None,
    response_headers: tuple[Header, ...],
    response_body: bytes,
    cap: int,
) -> None:
    # `started_us`: an attempt started ahead of its request records when it really went out.
    db.execute(
        "UPDATE forward_attempts SET duration_us = ?, status = ?, error = ?, response_size = ?, "
        "response_headers = ?, response_body = ?, started_us = COALESCE(?, started_us) "
        "WHERE id = ?",
        (max(1, round(duration_ms * 1000)), status, error, len(response_body),
         _blob(response_headers), response_body[:cap], started_us, attempt_id),
    )  # fmt: skip


def update_delivery(
    db: sqlite3.Connection,
    delivery_id: int,
    *,
    state: str,
    attempts: int,
    next_us: int,
    last_status: int | None,
    last_error: str | None,
) -> None:
    db.execute(
        "UPDATE forward_deliveries SET state = ?, attempts = ?, next_us = ?, last_status = ?, "
        "last_error = ? WHERE id = ?",
        (state, attempts, next_us, last_status, last_error, delivery_id),
    )


def record_complete(
    db: sqlite3.Connection,
    capture_id: int,
    target: str,
    mode: str,
    *,
    started_us: int,
    method: str,
    url: str,
    headers: tuple[Header, ...],
    duration_ms: float,
    status: int | None,
    error: str | None,
    response_headers: tuple[Header, ...],
    response_body: bytes,
    cap: int,
) -> None:
    """A delivery made in one attempt that is already over (a pass-through): its two rows as
    they end up, written once each (this runs for every pass-through request)."""
    ok = status is not None and 200 <= status < 300
    cursor = db.execute(
        "INSERT INTO forward_deliveries (capture_id, target, mode, state, attempts, next_us, "
        "created_us, last_status, last_error) VALUES (?,?,?,?,1,0,?,?,?)",
        (capture_id, target, mode, DELIVERED if ok else FAILED, started_us, status, error),
    )
    db.execute(
        "INSERT INTO forward_attempts (delivery_id, capture_id, target, n, started_us, "
        "duration_us, method, url, status, error, response_size, request_headers, "
        "response_headers, response_body) VALUES (?,?,?,1,?,?,?,?,?,?,?,?,?,?)",
        (cursor.lastrowid, capture_id, target, started_us, max(1, round(duration_ms * 1000)),
         method, url, status, error, len(response_body), _blob(headers),
         _blob(response_headers), response_body[:cap]),
    )  # fmt: skip


# -- reading (any connection) ----------------------------------------------------------------


def pending(db: sqlite3.Connection, target: str) -> list[DeliveryRow]:
    """A target's pending deliveries in arrival order."""
    sql = (
        f"SELECT {_DELIVERY_COLUMNS} FROM forward_deliveries WHERE target = ? AND state = ? "
        "ORDER BY id"
    )
    return [DeliveryRow(*row) for row in db.execute(sql, (target, PENDING))]


def attempts_for(db: sqlite3.Connection, capture_id: int) -> list[AttemptRow]:
    sql = f"SELECT {_ATTEMPT_COLUMNS} FROM forward_attempts WHERE capture_id = ? ORDER BY id"
    return [_attempt(row) for row in db.execute(sql, (capture_id,))]


def counts(db: sqlite3.Connection, names: Iterable[str]) -> dict[str, TargetCounts]:
    """Per target named: pending, delivered, failed and failing deliveries (zeros for one with
    none)."""
    tally: dict[str, dict[str, int]] = {}
    for target, state, failing, number in db.execute(
        "SELECT target, state, attempts > 0 AND state = 'pending', COUNT(*) "
        "FROM forward_deliveries GROUP BY 1, 2, 3"
    ):
        entry = tally.setdefault(target, {})
        entry[state] = entry.get(state, 0) + number
        if failing:
            entry["failing"] = entry.get("failing", 0) + number
    return {name: TargetCounts(**tally.get(name, {})) for name in names}


def latest_by_capture(
    db: sqlite3.Connection, capture_ids: Sequence[int]
) -> dict[int, list[DeliveryRow]]:
    """Each capture's deliveries (oldest first), for a table column or an NDJSON record."""
    out: dict[int, list[DeliveryRow]] = {}
    wanted = sorted(set(capture_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT {_DELIVERY_COLUMNS} FROM forward_deliveries WHERE capture_id IN ({marks}) "
            "ORDER BY id"
        )
        for row in db.execute(sql, chunk):
            delivery = DeliveryRow(*row)
            out.setdefault(delivery.capture_id, []).append(delivery)
    return out


def _attempt(row: tuple[Any, ...]) -> AttemptRow:
    (aid, did, cid, target, n, started, duration_us, method, url, status, error, size,
     request_headers, response_headers, body) = row  # fmt: skip
    return AttemptRow(
        aid,
        did,
        cid,
        target,
        n,
        started,
        None if duration_us is None else duration_us / 1000,
        method,
        url,
        status,
        error,
        size,
        _headers(request_headers),
        _headers(response_headers),
        bytes(body or b""),
    )


def _blob(headers: tuple[Header, ...]) -> bytes | None:
    return orjson.dumps(headers) if headers else None


def _headers(blob: bytes | None) -> tuple[Header, ...]:
    return tuple((n, v) for n, v in orjson.loads(blob)) if blob else ()
