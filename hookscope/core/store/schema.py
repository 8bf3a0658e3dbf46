"""The store's SQLite schema and its migrations, keyed on `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3

from hookscope.core.errors import StoreError

__all__ = ["SCHEMA_VERSION", "configure", "migrate"]

SCHEMA_VERSION = 4

# One narrow row per capture; the insert binds as few values as it can, since every bound value
# costs every request (see writer.py). Bodies live in append-only segment files (bodies.py),
# located by body_loc = segment << 40 | offset. `answer` holds, as JSON, only what differs from
# the default answer (rejection, rule, response headers and body). `content_type` and
# `event_type` are derived from headers and body when the writer is idle: NULL means "not yet".
_V1 = """
CREATE TABLE captures (
    id               INTEGER PRIMARY KEY,
    received_us      INTEGER NOT NULL,
    method           TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    http_version     TEXT    NOT NULL,
    headers          BLOB,
    body_size        INTEGER NOT NULL,
    body_loc         INTEGER,
    remote           TEXT    NOT NULL,
    response_status  INTEGER NOT NULL,
    read_us          INTEGER NOT NULL,
    answer           BLOB,
    starred          INTEGER NOT NULL DEFAULT 0,
    note             TEXT    NOT NULL DEFAULT '',
    content_type     TEXT,
    event_type       TEXT
);
"""

# Version 2: the history of webhooks sent from the composer or the command line. What was sent
# (signing headers included) and what came back; the scheme's name, never its secret. Light
# columns first: the history list reads those, and SQLite then leaves the blobs at the end of
# each row unread.
_V2 = """
CREATE TABLE sends (
    id                INTEGER PRIMARY KEY,
    sent_us           INTEGER NOT NULL,
    method            TEXT    NOT NULL,
    url               TEXT    NOT NULL,
    scheme            TEXT,
    source            TEXT    NOT NULL DEFAULT '',
    status            INTEGER,
    error             TEXT,
    http_version      TEXT    NOT NULL DEFAULT '',
    elapsed_us        INTEGER NOT NULL,
    body_size         INTEGER NOT NULL,
    response_size     INTEGER NOT NULL,
    headers           BLOB,
    response_headers  BLOB,
    body              BLOB    NOT NULL,
    response_body     BLOB    NOT NULL
);
"""

# Version 3: the forwarding outbox (SQL in outbox.py). One delivery per capture and target, its
# state, and every attempt at it: the request as sent, the answer (body capped), or the error.
_V3 = """
CREATE TABLE forward_targets (
    name     TEXT    PRIMARY KEY,
    seen_id  INTEGER NOT NULL
);
CREATE TABLE forward_deliveries (
    id           INTEGER PRIMARY KEY,
    capture_id   INTEGER NOT NULL,
    target       TEXT    NOT NULL,
    mode         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_us      INTEGER NOT NULL DEFAULT 0,
    created_us   INTEGER NOT NULL,
    last_status  INTEGER,
    last_error   TEXT
);
CREATE INDEX forward_deliveries_capture ON forward_deliveries (capture_id);
CREATE INDEX forward_deliveries_pending ON forward_deliveries (target, id) WHERE state = 'pending';
CREATE TABLE forward_attempts (
    id                INTEGER PRIMARY KEY,
    delivery_id       INTEGER NOT NULL,
    capture_id        INTEGER NOT NULL,
    target            TEXT    NOT NULL,
    n                 INTEGER NOT NULL,
    started_us        INTEGER NOT NULL,
    duration_us       INTEGER,
    method            TEXT    NOT NULL,
    url               TEXT    NOT NULL,
    status            INTEGER,
    error             TEXT,
    response_size     INTEGER,
    request_headers   BLOB,
    response_headers  BLOB,
    response_body     BLOB
);
CREATE INDEX forward_attempts_capture ON forward_attempts (capture_id);
"""

# Version 4: where an imported capture was first sent (`https://host:port` from a HAR URL), so
# that an export gives its scheme and host back. Received captures leave it NULL, and the hot
# insert does not bind it (imports set it in the same transaction).
_V4 = """
ALTER TABLE captures ADD COLUMN origin TEXT;
"""

_MIGRATIONS: dict[int, str] = {1: _V1, 2: _V2, 3: _V3, 4: _V4}


def configure(db: sqlite3.Connection, *, durable: bool = False) -> None:
    """WAL lets readers run beside the single writer. `synchronous=NORMAL` in WAL mode survives
    any crash of the process (a commit is in the OS before the call returns); FULL also survives
    a power cut, at the cost of an fsync per group commit."""
    db.execute("PRAGMA busy_timeout=5000")  # first: another process may be opening it too
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    db.execute("PRAGMA temp_store=MEMORY")


def migrate(db: sqlite3.Connection) -> None:
    version = _version(db)
    if version == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = _version(db)  # another process may have migrated it meanwhile
        for step in range(version + 1, SCHEMA_VERSION + 1):
            # Statement by statement: executescript would commit the lock away first. (The
            # scripts hold no ';' inside a literal.)
            for statement in filter(None, (s.strip() for s in _MIGRATIONS[step].split(";"))):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={step}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this store was written by a newer hookscope (schema {version}, this version "
            f"reads up to {SCHEMA_VERSION}); upgrade hookscope or use another --db"
        )
    return version
