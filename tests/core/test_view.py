"""CaptureView without a UI: a real store, its real feed, listeners that record what they hear."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from hookscope.core.events import Event
from hookscope.core.filters import compile_filter
from hookscope.core.model import CaptureSummary
from hookscope.core.store import Store
from hookscope.core.view import CaptureView, ViewListener
from tests.core.factories import make_capture
from tests.helpers import wait_for


class Timers:
    """schedule(seconds, fn) for tests: nothing fires until `fire_all`."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def __call__(self, _seconds: float, callback: Callable[[], None]) -> Callable[[], None]:
        self.waiting.append(callback)
        return lambda: self.waiting.remove(callback) if callback in self.waiting else None

    def fire_all(self) -> None:
        for callback in list(self.waiting):
            callback()


class Heard(ViewListener):
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def rows_inserted(self, first: int, rows: Sequence[CaptureSummary]) -> None:
        self.calls.append(("inserted", (first, [row.id for row in rows])))

    def rows_removed(self, ids: frozenset[int]) -> None:
        self.calls.append(("removed", sorted(ids)))

    def rows_reset(self) -> None:
        self.calls.append(("reset", None))

    def row_changed(self, row: CaptureSummary) -> None:
        self.calls.append(("changed", (row.id, row.starred)))


class Fixture:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.timers = Timers()
        self.view = CaptureView(store, schedule=self.timers)
        self.heard = Heard()
        self.view.subscribe(self.heard)
        self._events: list[Event] = []
        self._lock = threading.Lock()
        store.feed.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:  # the store's writer thread
        with self._lock:
            self._events.append(event)

    def sync(self, expected: int) -> None:
        """Hand the view the next `expected` feed events, as a UI's bridge would."""
        wait_for(lambda: len(self._events) >= expected)
        with self._lock:
            events, self._events = self._events[:expected], self._events[expected:]
        self.view.handle(events)

    def post(self, *targets: str, body: bytes = b'{"type":"invoice.paid"}') -> list[int]:
        ids = []
        for target in targets:
            stored = self.store.add(make_capture(target=target, body=body))
            assert stored.id is not None
            ids.append(stored.id)
        self.sync(len(targets))
        return ids

    def shown(self) -> list[str]:
        return [row.target for row in self.view.rows]


@pytest.fixture
def fx(tmp_path: Path) -> Iterator[Fixture]:
    with Store.open(tmp_path / "c.db") as store:
        yield Fixture(store)


def test_history_loads_in_arrival_order_and_counts_what_is_not_loaded_yet(fx: Fixture) -> None:
    for n in range(5):
        fx.store.add(make_capture(target=f"/h/{n}"))
    fx.view.load_newest(fx.store.summaries(limit=2), fx.store.count())
    fx.sync(5)  # heard after the page was read: those rows are there already
    assert fx.heard.calls == [("reset", None)]
    assert fx.shown() == ["/h/3", "/h/4"]
    assert not fx.view.history_ready
    assert fx.view.counts().total == 5
    older = reversed(fx.store.summaries(before_id=fx.view.rows[0].id, limit=100))
    assert fx.view.add_history(older) is None  # no filter: nothing more to do
    assert fx.shown() == [f"/h/{n}" for n in range(5)]
    assert fx.view.counts().total == fx.view.counts().shown == 5
    assert fx.heard.calls == [("reset", None), ("reset", None)]


def test_live_arrivals_append_with_their_event_type(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    assert fx.view.is_empty()
    first = fx.post("/a", "/b")
    fx.post("/c")
    assert fx.shown() == ["/a", "/b", "/c"]
    assert fx.view.rows[0].event_type == "invoice.paid"
    inserts = [args for call, args in fx.heard.calls if call == "inserted"]
    assert inserts == [(0, [first[0]]), (1, [first[1]]), (2, [first[1] + 1])]  # one per event
    assert not fx.view.is_empty()


def test_a_filter_runs_as_a_job_and_later_arrivals_are_tested_on_arrival(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    fx.post("/keep/1", "/drop/1", "/keep/2")
    job = fx.view.set_filter(compile_filter("path:/keep/*"))
    assert job is not None
    fx.post("/keep/3", "/drop/2")  # arrives while the job runs: tested with the new filter
    assert fx.view.finish_filter(job, job.run())
    assert fx.shown() == ["/keep/1", "/keep/2", "/keep/3"]
    counts = fx.view.counts()
    assert (counts.total, counts.shown) == (5, 3)
    assert fx.view.set_filter(None) is None
    assert len(fx.view.rows) == 5


def test_a_stale_filter_job_changes_nothing(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    fx.post("/a", "/b")
    old = fx.view.set_filter(compile_filter("path:/a"))
    new = fx.view.set_filter(compile_filter("path:/b"))
    assert old is not None
    assert new is not None
    assert fx.view.is_stale(old)
    assert not fx.view.finish_filter(old, old.run())
    assert fx.view.finish_filter(new, new.run())
    assert fx.shown() == ["/b"]


def test_arrivals_prepared_under_an_older_filter_are_tested_again(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    fx.store.add(make_capture(target="/new"))
    wait_for(lambda: len(fx._events) == 1)
    prepared = fx.view.prepare(fx._events)  # on a worker, with no filter set
    fx._events.clear()
    job = fx.view.set_filter(compile_filter("path:/other"))
    assert job is not None
    fx.view.finish_filter(job, job.run())
    fx.view.apply(prepared)
    assert fx.shown() == []
    assert fx.view.counts().total == 1


def test_deletes_elsewhere_leave_the_view(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b", "/c")
    fx.store.delete([ids[1]])
    fx.sync(1)
    assert fx.shown() == ["/a", "/c"]
    assert ("removed", [ids[1]]) in fx.heard.calls


def test_stars_change_the_row_in_place(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b")
    assert fx.view.toggle_star(ids) is True
    fx.sync(2)
    assert all(row.starred for row in fx.view.rows)
    assert ("changed", (ids[0], True)) in fx.heard.calls
    assert fx.view.star_value(ids) is False  # all starred: the next toggle unstars
    fx.view.toggle_star([ids[0]])
    fx.sync(1)
    assert [row.starred for row in fx.view.rows] == [False, True]


def test_notes_are_written_and_read_through_the_store(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    (capture_id,) = fx.post("/a")
    fx.view.set_note(capture_id, "refund case")
    fx.sync(1)
    assert fx.view.note_of(capture_id) == "refund case"
    assert fx.heard.calls[-1] == ("changed", (capture_id, False))  # a detail pane reloads
    row = fx.view.row(capture_id)
    assert row is not None
    assert row.note == "refund case"  # the Note column shows it


def test_a_delete_is_held_until_its_undo_window_passes(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b", "/c")
    held = fx.view.delete([ids[0], ids[2]])
    assert [row.id for row in held] == [ids[0], ids[2]]
    assert fx.shown() == ["/b"]
    assert fx.store.count() == 3  # nothing deleted yet
    assert fx.view.pending.hidden_ids() == {ids[0], ids[2]}
    counts = fx.view.counts()
    assert (counts.total, counts.held) == (1, 2)
    fx.timers.fire_all()  # the undo window passes
    assert fx.store.count() == 1
    fx.sync(1)
    assert fx.shown() == ["/b"]
    assert fx.view.pending.hidden_ids() == set()


def test_undo_brings_rows_back_with_their_ids_stars_and_notes(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b", "/c")
    fx.view.set_note(ids[1], "keep me")
    fx.view.toggle_star([ids[1]])
    fx.sync(2)
    fx.view.delete([ids[1]])
    fx.view.delete([ids[0]])
    rows, job = fx.view.undo_delete()  # the newest delete first
    assert [row.id for row in rows] == [ids[0]]
    assert job is None
    rows, job = fx.view.undo_delete()
    assert [row.id for row in rows] == [ids[1]]
    assert [row.id for row in fx.view.rows] == ids  # back in arrival order
    restored = fx.view.row(ids[1])
    assert restored is not None
    assert restored.starred
    assert fx.view.note_of(ids[1]) == "keep me"
    assert fx.view.undo_delete() == ([], None)
    fx.timers.fire_all()
    assert fx.store.count() == 3  # undone deletes never reach the store


def test_undo_under_a_filter_shows_only_what_matches(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/keep", "/drop")
    fx.view.refilter_now()
    job = fx.view.set_filter(compile_filter("path:/keep"))
    assert job is not None
    fx.view.finish_filter(job, job.run())
    fx.view.delete(ids)
    assert fx.shown() == []
    _, job = fx.view.undo_delete()
    assert job is not None
    fx.view.finish_filter(job, job.run())
    assert fx.shown() == ["/keep"]


def test_history_skips_rows_held_for_an_undo(fx: Fixture) -> None:
    for n in range(3):
        fx.store.add(make_capture(target=f"/h/{n}"))
    fx.sync(3)
    fx.view.load_newest(fx.store.summaries(limit=3), 3)
    fx.view.delete([fx.view.rows[0].id])
    fx.view.add_history(fx.store.summaries(limit=100, newest_first=False)[:1])
    assert fx.shown() == ["/h/1", "/h/2"]


def test_commit_all_deletes_everything_held_at_once(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b")
    fx.view.delete([ids[0]])
    fx.view.delete([ids[1]])
    fx.view.pending.commit_all()
    assert fx.store.count() == 0
    assert fx.timers.waiting == []  # no timer left to fire later


def test_clear_empties_the_view_and_forgets_held_deletes(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b")
    fx.view.delete([ids[0]])
    fx.view.clear()
    fx.sync(1)
    assert fx.view.rows == []
    assert fx.view.all_rows == []
    assert fx.view.undo_delete() == ([], None)  # nothing to bring back: the store is empty
    assert fx.view.is_empty()
    assert fx.heard.calls[-1] == ("reset", None)


def test_a_delete_of_a_held_row_elsewhere_cannot_be_undone(fx: Fixture) -> None:
    fx.view.load_newest([], 0)
    ids = fx.post("/a", "/b")
    fx.view.delete([ids[0]])
    fx.store.delete([ids[0]])  # e.g. `hookscope delete` from a terminal
    fx.sync(1)
    assert fx.view.undo_delete() == ([], None)
    assert fx.shown() == ["/b"]


def test_a_filter_set_before_the_first_page_applies_to_it(fx: Fixture) -> None:
    for target in ("/keep", "/drop"):
        fx.store.add(make_capture(target=target))
    fx.sync(2)
    early = fx.view.set_filter(compile_filter("path:/keep"))  # a saved query, restored first
    assert early is not None
    fx.view.finish_filter(early, early.run())
    job = fx.view.load_newest(fx.store.summaries(limit=10), 2)
    assert job is not None
    fx.view.finish_filter(job, job.run())
    assert fx.shown() == ["/keep"]
