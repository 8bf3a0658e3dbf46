"""Filter a store's summaries without loading what the query does not need (the filter language
lives in core/filters; reading rows and bodies for it is the store's).

1. Every summary is decided in memory where the summary suffices (all of them for a query of
   summary fields only: one predicate call per row).
2. The rest, in id order, get their headers in one SQL pass (only if some term reads headers)
   and their body read from the segment files only when a term still needs it: AND and OR try
   cheap terms first, so `status:>=400 body:timeout` reads the bodies of failures only.

Nothing here is shared between calls: it may run on a worker thread while the store receives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import replace

import orjson

from hookscope.core.eventtype import event_type_from_body, event_type_from_headers
from hookscope.core.filters.compiled import CaptureFilter
from hookscope.core.filters.errors import FilterCancelledError
from hookscope.core.filters.nodes import Body, Headers, Node
from hookscope.core.model import CaptureSummary
from hookscope.core.store.store import Store

__all__ = ["select_ids"]

_CHUNK = 500  # ids per `IN (...)`: far below SQLite's bound-variable limit
_CANCEL_EVERY = 4096  # rows between cancel checks in the in-memory pass
_MAX_TYPE_PARSE = 1 << 20  # as the store's own derivation: larger bodies have no body type


def select_ids(
    store: Store,
    capture_filter: CaptureFilter,
    summaries: Sequence[CaptureSummary],
    *,
    cancel: Callable[[], bool] | None = None,
) -> list[int]:
    """The ids of the summaries that match, in the order given. Raises FilterCancelledError as soon
    as `cancel()` returns True (it is polled, so it should be cheap)."""
    root = capture_filter.root
    if root is None:
        return [row.id for row in summaries]
    if cancel is not None and cancel():
        raise FilterCancelledError
    with closing(_Reader(store)) as reader:
        underived = reader.underived_ids(summaries) if capture_filter.reads_event_type else set()
        fast = capture_filter.row_test()
        if fast is not None and not underived:
            return [row.id for row in summaries if fast(row)]
        matched, undecided = _decide_in_memory(root, summaries, underived, cancel)
        if undecided:
            with_headers = capture_filter.needs_headers or bool(underived)
            matched.update(reader.decide(root, undecided, underived, with_headers, cancel))
    return [row.id for row in summaries if row.id in matched]


def _decide_in_memory(
    root: Node,
    summaries: Sequence[CaptureSummary],
    underived: set[int],
    cancel: Callable[[], bool] | None,
) -> tuple[set[int], list[CaptureSummary]]:
    matched: set[int] = set()
    undecided: list[CaptureSummary] = []
    for count, row in enumerate(summaries):
        if cancel is not None and count % _CANCEL_EVERY == 0 and cancel():
            raise FilterCancelledError
        if row.id in underived:
            undecided.append(row)
            continue
        answer = root.decide(row, None, None)
        if answer is None:
            undecided.append(row)
        elif answer:
            matched.add(row.id)
    return matched, undecided


class _Reader:
    """A read-only connection of its own, opened on first use: the caller's thread owns it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._db: sqlite3.Connection | None = None

    def db(self) -> sqlite3.Connection:
        if self._db is None:
            uri = self.store.path.resolve().as_uri() + "?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout=5000")
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def underived_ids(self, summaries: Sequence[CaptureSummary]) -> set[int]:
        """Captures whose event type the store has not derived yet (it does so when idle, so
        under steady traffic the newest ones): their summaries say "" for want of knowing."""
        if all(row.event_type for row in summaries):
            return set()
        rows = self.db().execute("SELECT id FROM captures WHERE event_type IS NULL")
        return {capture_id for (capture_id,) in rows}

    def decide(
        self,
        root: Node,
        rows: list[CaptureSummary],
        underived: set[int],
        with_headers: bool,
        cancel: Callable[[], bool] | None,
    ) -> Iterator[int]:
        """Ids among `rows` that match, deciding in id order with headers and bodies at hand."""
        by_id = {row.id: row for row in rows}
        ids = sorted(by_id)
        headers_column = "headers" if with_headers else "NULL"
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found = self.db().execute(
                f"SELECT id, {headers_column}, body_loc, body_size FROM captures "
                f"WHERE id IN ({marks}) ORDER BY id",
                chunk,
            )
            for capture_id, blob, location, size in found.fetchall():
                if cancel is not None and cancel():
                    raise FilterCancelledError
                headers: Headers = tuple((n, v) for n, v in orjson.loads(blob)) if blob else ()
                body = Body(load=self._body_loader(location, size))
                row = by_id[capture_id]
                if capture_id in underived:
                    row = replace(row, event_type=_event_type(headers, body, size))
                if root.decide(row, headers, body):
                    yield capture_id

    def _body_loader(self, location: int | None, size: int) -> Callable[[], bytes]:
        if location is None:
            return bytes
        bodies = self.store.bodies
        return lambda: bodies.read(location, size)


def _event_type(headers: Headers, body: Body, size: int) -> str:
    """As the store derives it (eventtype.py), reading the body only if headers do not say."""
    from_headers = event_type_from_headers(list(headers))
    if from_headers or size > _MAX_TYPE_PARSE:
        return from_headers
    return event_type_from_body(body.raw)
