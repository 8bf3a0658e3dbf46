"""Captures another process commits to the same store reach this process's subscribers (an
open window shows a CLI import), in id order, marked as not received here."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from hookscope.core.events import CapturesAdded, Event
from hookscope.core.record import to_json_line
from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.factories import make_capture
from tests.helpers import exchange, run_cli, start_listener, wait_for


class Heard:
    def __init__(self, store: Store) -> None:
        self.added: list[CapturesAdded] = []
        self._lock = threading.Lock()
        store.feed.subscribe(self._on)

    def _on(self, event: Event) -> None:
        if isinstance(event, CapturesAdded):
            with self._lock:
                self.added.append(event)

    def ids(self, *, external: bool | None = None) -> list[int]:
        with self._lock:
            return [
                c.id or 0
                for e in self.added
                if external is None or e.external == external
                for c in e.captures
            ]


def test_an_import_by_another_process_is_published_with_exact_bodies(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    bodies = [os.urandom(1 + i * 53) for i in range(250)]
    lines = [to_json_line(make_capture(target=f"/i/{i}", body=b)) for i, b in enumerate(bodies)]
    (tmp_path / "in.ndjson").write_text("\n".join(lines) + "\n")
    with Store.open(db) as store:
        mine = store.add(make_capture(target="/mine"))
        heard = Heard(store)
        imported = run_cli("import", str(tmp_path / "in.ndjson"), "--db", str(db))
        assert imported.returncode == 0, imported.stderr
        wait_for(lambda: len(heard.ids(external=True)) == len(bodies))
        captures = [c for e in heard.added for c in e.captures]
        assert all(e.external for e in heard.added)
        assert [c.target for c in captures] == [f"/i/{i}" for i in range(len(bodies))]
        assert [c.body for c in captures] == bodies
        assert heard.ids() == list(range((mine.id or 0) + 1, (mine.id or 0) + 1 + len(bodies)))


def test_ids_reach_subscribers_in_order_when_another_writer_committed_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as here, Store.open(db) as there:
        # Only the commit path may find the other writer's rows: no idle look in between.
        monkeypatch.setattr(here._writer, "_look_for_others", lambda db: None)
        heard = Heard(here)
        theirs = there.add_many([make_capture(target=f"/there/{i}") for i in range(3)])
        ours = here.add(make_capture(target="/here"))
        wait_for(lambda: len(heard.ids()) == 4)  # published right after the commit is answered
        assert heard.ids() == [c.id for c in theirs] + [ours.id]
        assert heard.ids(external=True) == [c.id for c in theirs]


def test_listen_prints_only_what_it_received(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    (tmp_path / "in.ndjson").write_text(to_json_line(make_capture(target="/imported")) + "\n")
    listener = start_listener(db)
    try:
        # Another process than listen's is all this needs: this one.
        assert run_main("import", str(tmp_path / "in.ndjson"), "--db", str(db)).returncode == 0
        head = b"POST /received HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
        exchange(listener.port, head)
        records = listener.wait_records(1)
        threading.Event().wait(0.6)  # past the idle look: an imported record would be out
        assert [r["target"] for r in listener.records] == ["/received"]
        assert records[0]["target"] == "/received"
    finally:
        assert listener.stop() == 0
