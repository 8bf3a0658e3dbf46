"""The ordered, filtered list of captures a UI shows, without the UI.

A CaptureView holds every stored capture's light row (CaptureSummary) in arrival order, the
rows the current filter lets through, the deletes held for an undo and the arrival rate. It
follows the store's feed and tells its listeners what changed; a table model only mirrors it.

Threads: everything is called on one owner thread (the GUI thread in the app), except the
pieces meant for a worker: `prepare` (event types and filter tests of new captures),
`FilterJob.run` (a filter over every row, which may read SQLite) and what `write` runs (every
store write goes through it: the app runs it on a worker, tests call it inline).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from hookscope.core.events import (
    CaptureChanged,
    CapturesAdded,
    CapturesCleared,
    CapturesDeleted,
    Event,
)
from hookscope.core.eventtype import detect_event_type
from hookscope.core.filters import CaptureFilter
from hookscope.core.model import Capture, CaptureSummary, summarize
from hookscope.core.rate import RateMeter
from hookscope.core.store import Store
from hookscope.core.store.filtering import select_ids
from hookscope.core.view.listener import ViewListener
from hookscope.core.view.pending import PendingDeletes, Schedule

__all__ = ["Arrivals", "CaptureView", "Counts", "FilterJob", "Prepared"]

Write = Callable[[Callable[[], object]], object]


@dataclass(frozen=True, slots=True)
class Arrivals:
    """New captures, with their rows and, if a filter was set, which of them it lets through."""

    captures: tuple[Capture, ...]
    rows: tuple[CaptureSummary, ...]
    tested_with: CaptureFilter | None
    matches: tuple[bool, ...] | None


Prepared = Arrivals | CapturesDeleted | CapturesCleared | CaptureChanged


@dataclass(frozen=True, slots=True)
class Counts:
    total: int  # every capture in the store (less those deleted and held for an undo)
    shown: int  # what the filter lets through
    per_second: float
    held: int  # captures deleted but still undoable


@dataclass(frozen=True, slots=True)
class FilterJob:
    """One pass of a filter over a snapshot of the rows; `run` belongs on a worker."""

    store: Store
    capture_filter: CaptureFilter
    rows: tuple[CaptureSummary, ...]
    generation: int

    def run(self, cancel: Callable[[], bool] | None = None) -> list[int]:
        return select_ids(self.store, self.capture_filter, self.rows, cancel=cancel)


def _key(row: CaptureSummary) -> int:
    return row.id


class CaptureView:
    def __init__(
        self,
        store: Store,
        *,
        schedule: Schedule,
        write: Write = lambda run: run(),
        rate: RateMeter | None = None,
    ) -> None:
        self.store = store
        self._write = write
        self.rate = rate or RateMeter()
        self.pending = PendingDeletes(self._delete_now, schedule)
        self._all: list[CaptureSummary] = []  # ascending id = arrival order
        self._shown: list[CaptureSummary] = []  # the filter's share of _all, same order
        self._filter: CaptureFilter | None = None
        self._generation = 0  # of filter passes: a newer pass makes older results stale
        self._unloaded = 0  # stored captures older than the rows loaded so far
        self.history_ready = True
        self._listeners: list[ViewListener] = []

    # -- listening ------------------------------------------------------------------------

    def subscribe(self, listener: ViewListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # -- reading --------------------------------------------------------------------------

    @property
    def rows(self) -> list[CaptureSummary]:
        """What the filter lets through, in arrival order (do not change it)."""
        return self._shown

    @property
    def all_rows(self) -> list[CaptureSummary]:
        return self._all

    @property
    def capture_filter(self) -> CaptureFilter | None:
        return self._filter

    def row(self, capture_id: int) -> CaptureSummary | None:
        position = bisect_left(self._all, capture_id, key=_key)
        if position < len(self._all) and self._all[position].id == capture_id:
            return self._all[position]
        return None

    def is_shown(self, capture_id: int) -> bool:
        position = bisect_left(self._shown, capture_id, key=_key)
        return position < len(self._shown) and self._shown[position].id == capture_id

    def counts(self) -> Counts:
        total = len(self._all) + self._unloaded
        shown = len(self._shown) + (self._unloaded if self._filter is None else 0)
        held = len(self.pending.hidden_ids())
        return Counts(total, shown, self.rate.per_second(), held)

    def is_empty(self) -> bool:
        """Nothing stored, nothing filtered away and nothing waiting for an undo."""
        counts = self.counts()
        return counts.total == 0 and self._filter is None and counts.held == 0

    # -- loading --------------------------------------------------------------------------

    def load_newest(
        self, newest_first: Sequence[CaptureSummary], store_total: int
    ) -> FilterJob | None:
        """The first page (newest first, as the store pages it) and how many are stored; a
        filter job if a filter is set already (a saved query is restored before the page)."""
        self._all = list(reversed(newest_first))
        self._unloaded = max(0, store_total - len(self._all))
        self.history_ready = self._unloaded == 0
        return self._refresh()

    def add_history(self, older: Iterable[CaptureSummary]) -> FilterJob | None:
        """Older rows (arrival order) in front of those loaded; a filter job if one is set."""
        hidden = self.pending.hidden_ids()
        self._all[0:0] = [row for row in older if row.id not in hidden]
        self._unloaded = 0
        self.history_ready = True
        return self._refresh()

    # -- the feed -------------------------------------------------------------------------

    def prepare(self, events: Iterable[Event]) -> list[Prepared]:
        """Any thread: detect the event types of new captures and test them against the
        filter set now (applied later, `apply` tests again only if the filter changed)."""
        capture_filter = self._filter
        prepared: list[Prepared] = []
        for event in events:
            if isinstance(event, CapturesAdded):
                captures = event.captures
                rows = tuple(summarize(c, detect_event_type(c.headers, c.body)) for c in captures)
                matches = (
                    tuple(capture_filter.matches_capture(c) for c in captures)
                    if capture_filter is not None
                    else None
                )
                prepared.append(Arrivals(captures, rows, capture_filter, matches))
            else:
                prepared.append(event)
        return prepared

    def apply(self, prepared: Iterable[Prepared]) -> None:
        for item in prepared:
            if isinstance(item, Arrivals):
                self._arrive(item)
            elif isinstance(item, CapturesDeleted):
                self._deleted(frozenset(item.ids))
            elif isinstance(item, CapturesCleared):
                self.pending.forget()
                self._all, self._shown, self._unloaded = [], [], 0
                self._reset()
            else:
                self._changed(item)

    def handle(self, events: Iterable[Event]) -> None:
        """prepare + apply, on the owner thread (tests, and UIs without workers)."""
        self.apply(self.prepare(events))

    def _arrive(self, item: Arrivals) -> None:
        self.rate.add(len(item.rows))
        # Captures stored while the first page was read are in it already: ids only grow.
        newest = self._all[-1].id if self._all else 0
        fresh = [n for n, row in enumerate(item.rows) if row.id > newest]
        self._all.extend(item.rows[n] for n in fresh)
        current = self._filter
        if current is None:
            passed = [item.rows[n] for n in fresh]
        elif item.tested_with is current and item.matches is not None:
            passed = [item.rows[n] for n in fresh if item.matches[n]]
        else:  # the filter changed while these were prepared: rare, and a few rows
            passed = [item.rows[n] for n in fresh if current.matches_capture(item.captures[n])]
        if passed:
            first = len(self._shown)
            self._shown.extend(passed)
            for listener in self._listeners:
                listener.rows_inserted(first, passed)

    def _deleted(self, ids: frozenset[int]) -> None:
        self.pending.forget(set(ids))
        self._all = [row for row in self._all if row.id not in ids]
        self._remove_shown(ids)

    def _remove_shown(self, ids: frozenset[int]) -> None:
        gone = frozenset(row.id for row in self._shown if row.id in ids)
        if gone:
            self._shown = [row for row in self._shown if row.id not in gone]
            for listener in self._listeners:
                listener.rows_removed(gone)

    def _changed(self, event: CaptureChanged) -> None:
        old = self.row(event.capture_id)
        if old is None:
            return
        same = (old.starred, old.note) == (event.starred, event.note)
        changed = old if same else replace(old, starred=event.starred, note=event.note)
        self._all[bisect_left(self._all, old.id, key=_key)] = changed
        position = bisect_left(self._shown, old.id, key=_key)
        if position < len(self._shown) and self._shown[position].id == old.id:
            self._shown[position] = changed
            for listener in self._listeners:
                listener.row_changed(changed)

    # -- filtering ------------------------------------------------------------------------

    def set_filter(self, capture_filter: CaptureFilter | None) -> FilterJob | None:
        """None shows everything at once; a filter returns the job that finds its rows (run
        it, on a worker, then `finish_filter`). Arrivals meanwhile are tested on arrival."""
        self._filter = capture_filter
        return self._refresh()

    def _refresh(self) -> FilterJob | None:
        self._generation += 1
        if self._filter is None:
            self._shown = list(self._all)
            self._reset()
            return None
        return FilterJob(self.store, self._filter, tuple(self._all), self._generation)

    def is_stale(self, job: FilterJob) -> bool:
        return job.generation != self._generation

    def finish_filter(self, job: FilterJob, ids: Iterable[int]) -> bool:
        """Show what `job` found; False (nothing changes) if a newer job replaced it."""
        if self.is_stale(job):
            return False
        found = set(ids)
        newest = job.rows[-1].id if job.rows else 0
        later = {row.id for row in self._shown if row.id > newest}  # tested on arrival
        self._shown = [row for row in self._all if row.id in found or row.id in later]
        self._reset()
        return True

    def refilter_now(self) -> None:
        """Run a pending filter pass inline (tests; small stores)."""
        job = self._refresh()
        if job is not None:
            self.finish_filter(job, job.run())

    # -- changing what is stored ----------------------------------------------------------

    def delete(self, ids: Iterable[int]) -> list[CaptureSummary]:
        """Gone from view at once; gone from the store when the undo window has passed."""
        doomed = frozenset(ids)
        rows = [row for row in self._all if row.id in doomed]
        if not rows:
            return []
        self._all = [row for row in self._all if row.id not in doomed]
        self._remove_shown(doomed)
        self.pending.hold(rows)
        return rows

    def undo_delete(self) -> tuple[list[CaptureSummary], FilterJob | None]:
        """Bring back the newest held delete: its rows, and a filter job if one is set."""
        rows = self.pending.undo()
        if not rows:
            return [], None
        self._all = sorted([*self._all, *rows], key=_key)
        return rows, self._refresh()

    def _delete_now(self, ids: list[int]) -> None:
        self._write(lambda: self.store.delete(ids))

    def star_value(self, ids: Iterable[int]) -> bool:
        """What starring `ids` means: star them, unless every one is starred already."""
        rows = [self.row(capture_id) for capture_id in ids]
        return not all(row is not None and row.starred for row in rows)

    def toggle_star(self, ids: Sequence[int]) -> bool:
        value = self.star_value(ids)
        wanted = list(ids)

        def run() -> None:
            for capture_id in wanted:
                self.store.set_starred(capture_id, value)

        self._write(run)
        return value

    def set_note(self, capture_id: int, note: str) -> None:
        self._write(lambda: self.store.set_note(capture_id, note))

    def note_of(self, capture_id: int) -> str:
        """Any thread: the stored note (notes are not part of the light rows)."""
        capture = self.store.get(capture_id)
        return capture.note if capture is not None else ""

    def clear(self) -> None:
        """Delete every stored capture; the feed's CapturesCleared empties the view."""
        self._write(self.store.clear)

    def _reset(self) -> None:
        for listener in self._listeners:
            listener.rows_reset()
