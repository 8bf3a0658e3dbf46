"""The writer thread contains every fault it meets, and a dead writer fails work at once."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from hookscope.core.errors import StoreError
from hookscope.core.events import Event
from hookscope.core.receiver import Receiver
from hookscope.core.store import Store, writer
from tests.core.factories import make_capture
from tests.faults.load import post
from tests.helpers import wait_for


def _within(seconds: float, fn: Any, *args: Any) -> Any:
    """Run fn, failing the test (not hanging it) if it does not return in time."""
    pool = ThreadPoolExecutor(1)
    try:
        return pool.submit(fn, *args).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_raising_subscriber_is_logged_once_and_the_others_still_hear(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[Event] = []

    def broken(event: Event) -> None:
        raise ValueError("subscriber bug")

    with Store.open(tmp_path / "c.db") as store:
        store.feed.subscribe(broken)
        store.feed.subscribe(heard.append)
        ids = [_within(5, store.add, make_capture()).id for _ in range(3)]
    assert ids == [1, 2, 3]
    assert len(heard) == 3
    assert [m for m in _errors(caplog) if "subscriber bug" in m] == [
        "hookscope: an event subscriber (test_a_raising_subscriber_is_logged_once_and_the_"
        "others_still_hear.<locals>.broken) failed: ValueError: subscriber bug"
    ]


def test_a_body_that_crashes_type_detection_is_marked_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(body: bytes) -> str:
        if b"poison" in body:
            raise RecursionError("maximum recursion depth exceeded")
        return "fine"

    monkeypatch.setattr(writer, "event_type_from_body", crash)
    with Store.open(tmp_path / "c.db") as store:
        store.add(make_capture(body=b'{"poison":1}'))
        store.add(make_capture(body=b'{"x":1}'))
        wait_for(lambda: all(s.event_type for s in store.summaries()[:1]))
        assert [s.event_type for s in store.summaries(newest_first=False)] == ["", "fine"]
        assert _within(5, store.add, make_capture()).id == 3
        rows = store._db().execute("SELECT content_type, event_type FROM captures").fetchall()
    assert rows[0] == ("application/json", None)  # derived, but "could not derive" the type
    assert len([m for m in _errors(caplog) if "capture 1" in m]) == 1


def test_a_dead_writer_fails_every_request_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class Killed(BaseException):  # nothing the writer contains: it ends the thread
        pass

    def die(self: object, db: object, batch: object) -> None:
        raise Killed("the writer thread ended")

    store = Store.open(tmp_path / "c.db")
    receiver = Receiver(store, port=0)
    receiver.start()
    try:
        monkeypatch.setattr(writer.StoreWriter, "_process", die)
        with pytest.raises(StoreError, match="stopped writing"):
            _within(5, store.add, make_capture())
        assert isinstance(store._writer.failed, Killed)
        with pytest.raises(StoreError, match="stopped writing"):
            _within(5, store.add, make_capture())  # fails fast: nobody is left to commit
        assert _within(10, post, receiver.port, "/x", b"body", 5) == 503
        assert _within(10, post, receiver.port, "/y", b"body", 5) == 503
    finally:
        receiver.stop()
        store.close()
    assert [m for m in _errors(caplog) if "writer stopped" in m] == [
        "hookscope: store: the writer stopped: Killed: the writer thread ended"
    ]


def test_add_many_that_fails_leaves_no_rows_and_no_body_bytes(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        store.add(make_capture(body=b"kept"))
        store._db().execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON captures WHEN NEW.target = '/bad' "
            "BEGIN SELECT RAISE(ABORT, 'bad entry'); END"
        )
        batch = [make_capture(body=b"x" * 1000), make_capture(target="/bad", body=b"y" * 1000)]
        with pytest.raises(Exception, match="bad entry"):
            store.add_many(batch)
        assert store.count() == 1
        assert [c.id for c in batch] == [None, None]
        (segment,) = (tmp_path / "c.db-bodies").glob("*.seg")
        assert segment.stat().st_size == 4
        assert store.add(make_capture(body=b"next")).body == b"next"
        assert store.body(2) == b"next"
