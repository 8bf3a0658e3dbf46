from __future__ import annotations

from pathlib import Path

from hookscope.core.store.bodies import BodyLog, unpack_location


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
