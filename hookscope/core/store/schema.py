"""The store's SQLite schema and its migrations, keyed on `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3

from hookscope.core.errors import StoreError

__all__ = ["SCHEMA_VERSION", "configure", "migrate"]

SCHEMA_VERSION = 1

# Narrow, indexed metadata in `captures`; small bodies in `bodies` so that listing never reads
# blobs; large bodies live in append-only segment files (see bodies.py), located by
# (body_seg, body_off). A row with body_seg NULL and no `bodies` row has an empty body.
_V1 = """
CREATE TABLE captures (
    id               INTEGER PRIMARY KEY,
    received_us      INTEGER NOT NULL,
    method           TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    path             TEXT    NOT NULL,
    http_version     TEXT    NOT NULL,
    headers          TEXT    NOT NULL,
    body_size        INTEGER NOT NULL,
    content_type     TEXT    NOT NULL,
    event_type       TEXT    NOT NULL,
    remote           TEXT    NOT NULL,
    response_status  INTEGER NOT NULL,
    response_headers TEXT    NOT NULL,
    response_body    BLOB    NOT NULL,
    rejected         TEXT,
    rule             TEXT,
    read_ms          REAL    NOT NULL,
    starred          INTEGER NOT NULL DEFAULT 0,
    note             TEXT    NOT NULL DEFAULT '',
    body_seg         INTEGER,
    body_off         INTEGER
);
CREATE TABLE bodies (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE INDEX captures_received ON captures(received_us);
"""

_MIGRATIONS: dict[int, str] = {1: _V1}


def configure(db: sqlite3.Connection, *, durable: bool = False) -> None:
    """WAL lets readers run beside the single writer. `synchronous=NORMAL` in WAL mode survives
    any crash of the process (a commit is in the OS before the call returns); FULL also survives
    a power cut, at the cost of an fsync per group commit."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA temp_store=MEMORY")


def migrate(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this store was written by a newer hookscope (schema {version}, this version "
            f"reads up to {SCHEMA_VERSION}); upgrade hookscope or use another --db"
        )
    for step in range(version + 1, SCHEMA_VERSION + 1):
        db.executescript(f"BEGIN;\n{_MIGRATIONS[step]}\nPRAGMA user_version={step};\nCOMMIT;")
