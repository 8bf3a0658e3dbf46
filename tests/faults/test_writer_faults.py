"""A fault on the store's writer thread is contained: the requests it touches are answered 503
(never left hanging), it is logged in one line, and the receiver goes on storing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.faults.load import post
from tests.helpers import Listener, start_listener, wait_for

NESTED = b'{"a":' + b"[" * 3000 + b"]" * 3000 + b"}"


def _stored(db: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT target, content_type, event_type FROM captures ORDER BY id"
        ).fetchall()


def _stop(listener: Listener) -> str:
    assert listener.stop() == 0
    assert listener.proc.stderr is not None
    return listener.proc.stderr.read().decode()


def _settle(listener: Listener, count: int) -> None:
    """Wait until the idle writer has derived the types of `count` rows (or marked them)."""
    wait_for(lambda: sum(1 for _, ctype, _ in _stored(listener.db) if ctype is not None) >= count)


def test_a_deeply_nested_body_does_not_stop_the_receiver(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    listener = start_listener(db)
    assert post(listener.port, "/nested", NESTED, timeout=5) == 200
    _settle(listener, 1)  # the idle writer has looked at the nested body
    assert post(listener.port, "/after", b'{"type":"ok"}', timeout=5) == 200
    _settle(listener, 2)
    stderr = _stop(listener)
    assert "Traceback" not in stderr

    again = start_listener(db)
    assert post(again.port, "/restarted", b'{"type":"ok"}', timeout=5) == 200
    _settle(again, 3)
    _stop(again)
    assert [row[0] for row in _stored(db)] == ["/nested", "/after", "/restarted"]
    assert [row[2] for row in _stored(db)][1:] == ["ok", "ok"]
    with Store.open(db) as store:
        assert store.body(1) == NESTED


def _underived_store(db: Path) -> Path:
    """A store whose one capture has a body but no derived types yet (closed before idle)."""
    with Store.open(db) as store:
        store.add(make_capture(target="/lost", headers=(("Content-Type", "text/plain"),)))
    (row,) = _stored(db)
    assert row[1] is None
    (segment,) = (db.parent / (db.name + "-bodies")).glob("*.seg")
    return segment


def test_a_deleted_segment_under_an_underived_row_is_skipped_and_marked(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    _underived_store(db).unlink()
    listener = start_listener(db)
    _settle(listener, 1)
    assert post(listener.port, "/next", b'{"type":"fine"}', timeout=5) == 200
    _settle(listener, 2)
    stderr = _stop(listener)
    # Marked as "could not derive" (a content type, no event type), so never tried again.
    assert _stored(db) == [("/lost", "text/plain", None), ("/next", "", "fine")]
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if "capture 1" in line] == [
        line for line in stderr.splitlines() if "could not derive" in line
    ]
    assert len([line for line in stderr.splitlines() if "could not derive" in line]) == 1


def test_a_truncated_segment_under_an_underived_row_is_skipped(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    segment = _underived_store(db)
    os.truncate(segment, 3)
    listener = start_listener(db)
    _settle(listener, 1)
    body = os.urandom(5000)
    assert post(listener.port, "/next", body, timeout=5) == 200
    _settle(listener, 2)
    _stop(listener)
    with Store.open(db) as store:
        assert store.body(2) == body  # appended after the 3 bytes left, not over them


def test_a_failing_commit_answers_503_then_the_receiver_recovers(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    listener = start_listener(db)
    assert post(listener.port, "/before", b"a" * 1000, timeout=5) == 200
    with sqlite3.connect(db) as conn:  # every insert now fails inside the transaction
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON captures "
            "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
        )
    for _ in range(3):
        assert post(listener.port, "/refused", b"b" * 5000, timeout=5) == 503
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER refuse")
    assert post(listener.port, "/after", b"c" * 700, timeout=5) == 200
    stderr = _stop(listener)
    assert [row[0] for row in _stored(db)] == ["/before", "/after"]
    # The refused bodies were appended, then truncated away: no garbage between the two.
    with Store.open(db) as store:
        assert store.body(2) == b"c" * 700
    (segment,) = (tmp_path / "c.db-bodies").glob("*.seg")
    assert segment.stat().st_size == 1700
    refused = [line for line in stderr.splitlines() if "refused for the test" in line]
    assert len(refused) == 1, stderr
    assert "Traceback" not in stderr
