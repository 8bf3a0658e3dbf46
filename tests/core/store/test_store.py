from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from hookscope.core.errors import StoreError
from hookscope.core.events import CaptureChanged, CapturesAdded, CapturesCleared, CapturesDeleted
from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.helpers import wait_for


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "c.db") as opened:
        yield opened


def test_round_trip_keeps_every_field(store: Store) -> None:
    original = make_capture(
        headers=(("X-A", "1"), ("x-a", "2"), ("X-Latin", "caf\xe9")),
        response_status=503,
        response_headers=(("Retry-After", "5"),),
        response_body=b"no",
        rule="fail-first 1",
        http_version="1.0",
    )
    stored = store.add(original)
    assert stored.id == 1
    again = store.get(1)
    assert again is not None
    for name in (
        "method",
        "target",
        "headers",
        "body",
        "received_us",
        "remote",
        "response_status",
        "response_headers",
        "response_body",
        "rule",
        "http_version",
    ):
        assert getattr(again, name) == getattr(original, name), name


@pytest.mark.parametrize("size", [0, 1, 16_384, 3_000_000])
def test_bodies_of_every_size_come_back_exactly(store: Store, size: int) -> None:
    body = os.urandom(size)
    stored = store.add(make_capture(body=body))
    assert store.body(stored.id or 0) == body


def test_bodies_go_to_segments_not_sqlite(store: Store, tmp_path: Path) -> None:
    store.add(make_capture(body=b"x" * 70_000))
    store.add(make_capture(body=b"y" * 10))
    segments = list((tmp_path / "c.db-bodies").glob("*.seg"))
    assert [s.stat().st_size for s in segments] == [70_010]
    assert (tmp_path / "c.db").stat().st_size < 70_000


def test_ids_increase_and_survive_reopen(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        ids = [store.add(make_capture()).id for _ in range(3)]
    with Store.open(tmp_path / "c.db") as store:
        assert store.add(make_capture()).id == 4
        assert store.count() == 4
    assert ids == [1, 2, 3]


def test_concurrent_submissions_group_into_commits(store: Store) -> None:
    done = threading.Barrier(9)
    results: list[int] = []

    def worker() -> None:
        for _ in range(50):
            results.append(store.add(make_capture()).id or 0)
        done.wait()

    for _ in range(8):
        threading.Thread(target=worker).start()
    done.wait()
    assert sorted(results) == list(range(1, 401))


def test_summaries_page_by_keyset(store: Store) -> None:
    for i in range(25):
        store.add(make_capture(target=f"/p/{i}"))
    first = store.summaries(limit=10)
    assert [s.id for s in first] == list(range(25, 15, -1))
    second = store.summaries(before_id=first[-1].id, limit=10)
    assert [s.id for s in second] == list(range(15, 5, -1))
    tail = store.summaries(after_id=20, newest_first=False)
    assert [s.id for s in tail] == [21, 22, 23, 24, 25]
    assert first[0].path == "/p/24"
    assert first[0].content_type == "application/json"


def test_types_are_derived_when_the_writer_is_idle(store: Store) -> None:
    store.add(make_capture(headers=(("X-GitHub-Event", "push"),), body=b'{"type":"x"}'))
    store.add(make_capture())  # body says payment_intent.succeeded
    # The content type is known at once (from the headers), even before derivation ran.
    assert store.summaries(newest_first=False)[1].content_type == "application/json"
    wait_for(lambda: all(s.event_type for s in store.summaries()))
    summaries = store.summaries(newest_first=False)
    assert [s.event_type for s in summaries] == ["push", "payment_intent.succeeded"]
    assert [s.content_type for s in summaries] == ["", "application/json"]


def test_iter_captures_streams_all_or_chosen(store: Store) -> None:
    for i in range(450):
        store.add(make_capture(body=str(i).encode()))
    assert [c.body for c in store.iter_captures(page=100)] == [str(i).encode() for i in range(450)]
    assert [c.id for c in store.iter_captures([5, 3, 400])] == [3, 5, 400]


def test_add_many_is_all_or_nothing(store: Store) -> None:
    store.add_many([make_capture(), make_capture()])
    bad = make_capture()
    bad.method = None  # type: ignore[assignment]  # violates NOT NULL mid-transaction
    with pytest.raises(sqlite3.IntegrityError):
        store.add_many([make_capture(), bad])
    assert store.count() == 2
    assert store.add(make_capture()).id == 3


def test_delete_clear_star_note_publish_events(store: Store) -> None:
    events: list[object] = []
    store.feed.subscribe(events.append)
    for _ in range(3):
        store.add(make_capture(body=b"y" * (20_000)))
    assert store.delete([1, 2]) == 2
    store.set_starred(3, True)
    store.set_note(3, "refund case")
    got = store.get(3)
    assert got is not None
    assert got.starred
    assert got.note == "refund case"
    store.clear()
    assert store.count() == 0
    kinds = [type(e) for e in events]
    assert kinds == [CapturesAdded] * 3 + [
        CapturesDeleted,
        CaptureChanged,
        CaptureChanged,
        CapturesCleared,
    ]
    assert store.add(make_capture(body=b"z" * (20_001))).body == b"z" * (20_001)


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(StoreError, match="newer hookscope"):
        Store.open(path)


def test_store_file_is_private_and_wal(store: Store) -> None:
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"junk\.db is damaged: file is not a database"):
        Store.open(path)


def test_delete_of_many_ids_is_one_transaction(store: Store) -> None:
    events: list[object] = []
    store.add_many([make_capture(body=str(i).encode()) for i in range(1200)])
    store.feed.subscribe(events.append)
    assert store.delete(range(1, 1101)) == 1100
    assert store.count() == 100
    assert [c.body for c in store.iter_captures()] == [str(i).encode() for i in range(1100, 1200)]
    assert events == [CapturesDeleted(tuple(range(1, 1101)))]
    assert store.add(make_capture()).id == 1201


def _on_disk(tmp_path: Path, secret: bytes) -> list[str]:
    """The store's files (database, WAL, segments) that still hold `secret`."""
    return [p.name for p in tmp_path.rglob("*") if p.is_file() and secret in p.read_bytes()]


def test_deleted_bodies_leave_no_trace_in_the_segments(store: Store, tmp_path: Path) -> None:
    secret = b"sk_live_51HxSECRETxKEYx0123456789"
    kept = store.add(make_capture(body=b"before " + b"k" * 5000))
    leaked = store.add(make_capture(body=b'{"api_key":"' + secret + b'"}' + b" " * 70_000))
    after = store.add(make_capture(body=b"after " + b"a" * 5000))
    assert _on_disk(tmp_path, secret) == ["000001.seg"]
    store.delete([leaked.id or 0])
    assert _on_disk(tmp_path / "c.db-bodies", secret) == []
    assert store.body(kept.id or 0) == b"before " + b"k" * 5000
    assert store.body(after.id or 0) == b"after " + b"a" * 5000


def test_clear_empties_the_segments_and_the_store_goes_on(store: Store, tmp_path: Path) -> None:
    secret = b"whsec_CLEARED_SECRET_0123456789"
    store.add(make_capture(body=secret + b"x" * 70_000))
    store.clear()
    assert _on_disk(tmp_path / "c.db-bodies", secret) == []
    fresh = store.add(make_capture(body=b"new body"))
    assert store.body(fresh.id or 0) == b"new body"


def test_types_are_derived_after_clear_all_too(store: Store) -> None:
    for _ in range(3):
        store.add(make_capture())
    wait_for(lambda: all(s.event_type for s in store.summaries()))
    store.clear()
    store.add(make_capture(body=b'{"type":"after.clear"}'))
    store.add_many([make_capture(body=b'{"type":"imported"}')])
    wait_for(lambda: all(s.event_type for s in store.summaries()))
    types = [s.event_type for s in store.summaries(newest_first=False)]
    assert types == ["after.clear", "imported"]
