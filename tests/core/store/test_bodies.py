from __future__ import annotations

import threading
from pathlib import Path

from hookscope.core.store import Store
from hookscope.core.store.bodies import BodyLog, unpack_location
from tests.core.factories import make_capture


def test_two_writers_never_share_a_segment(tmp_path: Path) -> None:
    first, second = BodyLog(tmp_path), BodyLog(tmp_path)
    a = first.append([b"first-1", b"first-2"])
    b = second.append([b"second"])
    a += first.append([b"first-3"])
    assert {unpack_location(p)[0] for p in a} == {1}
    assert {unpack_location(p)[0] for p in b} == {2}
    assert [first.read(p, 7) for p in a] == [b"first-1", b"first-2", b"first-3"]
    assert second.read(b[0], 6) == b"second"
    first.close()
    second.close()


def test_a_segment_whose_writer_left_is_taken_over_after_its_bytes(tmp_path: Path) -> None:
    gone = BodyLog(tmp_path)
    gone.append([b"old bytes"])
    gone.close()
    later = BodyLog(tmp_path)
    (place,) = later.append([b"new"])
    assert unpack_location(place) == (1, 9)
    assert later.read(place, 3) == b"new"
    later.close()


def test_clear_beside_another_writer_zeroes_its_bytes_and_it_goes_on(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as app, Store.open(tmp_path / "c.db") as other:
        app.add(make_capture(body=b"app secret"))
        theirs = other.add(make_capture(body=b"other secret"))
        app.delete([theirs.id or 0])  # a range in the segment the other writer appends to
        other.add(make_capture(body=b"still the other"))
        segments = sorted((tmp_path / "c.db-bodies").glob("*.seg"))
        assert [s.read_bytes() for s in segments] == [b"app secret", bytes(12) + b"still the other"]
        app.clear()
        assert [s.read_bytes() for s in segments] == [b"", bytes(27)]
        last = other.add(make_capture(body=b"after clear"))
        assert app.body(last.id or 0) == b"after clear"
        assert other.body(last.id or 0) == b"after clear"
        assert app.count() == 1


def test_writers_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    start = threading.Barrier(6)
    errors: list[BaseException] = []
    stores: list[Store] = []

    def open_it() -> None:
        start.wait()
        try:
            stores.append(Store.open(path))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    ids = [store.add(make_capture()).id for store in stores]
    for store in stores:
        store.close()
    assert not errors, errors
    assert sorted(ids) == [1, 2, 3, 4, 5, 6]
