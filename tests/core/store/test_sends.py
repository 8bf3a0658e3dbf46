"""The send history (schema version 2): it survives restarts, lists light rows, never keeps a
secret, and a version-1 store upgrades in place without losing a capture."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.receiver import Receiver
from hookscope.core.send.sender import OutgoingRequest, SendResult, send
from hookscope.core.send.signer import make_signer
from hookscope.core.store import Store
from hookscope.core.store.schema import _MIGRATIONS, SCHEMA_VERSION
from tests.core.factories import make_capture


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.db") as opened:
        yield opened


def result(n: int, **fields: object) -> SendResult:
    request = OutgoingRequest(
        "POST",
        f"http://127.0.0.1:9480/hooks/{n}",
        (("Content-Type", "application/json"), ("X-Dup", "1"), ("x-dup", "2"), ("X-L", "caf\xe9")),
        b'{"n":%d}' % n + os.urandom(64),
    )
    base: dict[str, object] = {
        "status": 503,
        "response_headers": (("Retry-After", "5"), ("Content-Type", "text/plain")),
        "response_body": b"busy \x00\xff",
        "http_version": "1.1",
        "elapsed_ms": 12.345,
        "sent_at": 1_795_000_000.123456 + n,
    }
    base.update(fields)
    return SendResult(request, **base)  # type: ignore[arg-type]


def test_a_send_round_trips_every_field(store: Store) -> None:
    original = result(1)
    send_id = store.add_send(original, scheme="stripe", source="template stripe-payment")
    stored = store.get_send(send_id)
    assert stored is not None
    assert stored.scheme == "stripe"
    assert stored.source == "template stripe-payment"
    again = stored.result
    assert again.request == original.request
    for name in ("status", "response_headers", "response_body", "http_version", "error"):
        assert getattr(again, name) == getattr(original, name), name
    assert again.elapsed_ms == pytest.approx(12.345, abs=0.001)
    assert again.sent_at == pytest.approx(original.sent_at, abs=1e-6)


def test_a_failed_send_keeps_its_error_and_no_answer(store: Store) -> None:
    error = "could not connect to http://127.0.0.1:1/x: connection refused"
    failed = result(
        2, status=None, response_headers=(), response_body=b"", http_version="", error=error
    )
    stored = store.get_send(store.add_send(failed))
    assert stored is not None
    assert stored.result.status is None
    assert stored.result.error == failed.error
    assert stored.scheme is None


def test_summaries_are_newest_first_light_and_paged(store: Store) -> None:
    ids = [store.add_send(result(n, status=200 + n)) for n in range(5)]
    page = store.send_summaries(limit=3)
    assert [s.id for s in page] == ids[::-1][:3]
    assert [s.id for s in store.send_summaries(before_id=page[-1].id)] == ids[1::-1]
    first = page[0]
    assert first.status == 204
    assert first.ok
    assert first.url.endswith("/hooks/4")
    assert first.body_size == len(result(4).request.body)
    assert first.response_size == len(b"busy \x00\xff")
    assert not hasattr(first, "body")


def test_history_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as first:
        send_id = first.add_send(result(7), scheme="github")
    with Store.open(path) as again:
        stored = again.get_send(send_id)
        assert stored is not None
        assert stored.scheme == "github"
        assert [s.id for s in again.send_summaries()] == [send_id]
        again.clear_sends()
        assert again.send_summaries() == []
        assert again.get_send(send_id) is None


def test_a_real_signed_send_is_kept_without_its_secret(tmp_path: Path) -> None:
    secret = "whsec_TOP-SECRET-never-in-the-store"
    with Store.open(tmp_path / "c.db") as store:
        receiver = Receiver(store, port=0)
        receiver.start()
        try:
            signer = make_signer("stripe", secret)
            request = OutgoingRequest("POST", receiver.url + "/hooks/s", (), b'{"a":1}')
            sent = asyncio.run(send(request, signer=signer))
            store.add_send(sent, scheme="stripe")
        finally:
            receiver.stop()
        stored = store.send_summaries()[0]
        kept = store.get_send(stored.id)
        assert kept is not None
        assert dict(kept.result.request.headers)["Stripe-Signature"].startswith("t=")
        assert kept.result.status == 200
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert b"TOP-SECRET" not in path.read_bytes(), path


def v1_store(path: Path) -> None:
    """A store exactly as hookscope 0.1 (schema version 1) left it, with one capture."""
    db = sqlite3.connect(path)
    db.executescript(f"BEGIN;\n{_MIGRATIONS[1]}\nPRAGMA user_version=1;\nCOMMIT;")
    db.execute(
        "INSERT INTO captures (id, received_us, method, target, http_version, headers, "
        "body_size, body_loc, remote, response_status, read_us, answer) "
        "VALUES (1, 1795000000000000, 'POST', '/old', '1.1', NULL, 0, NULL, '127.0.0.1:1', "
        "200, 0, NULL)"
    )
    db.commit()
    db.close()


def test_a_version_1_store_upgrades_to_the_current_version(tmp_path: Path) -> None:
    assert SCHEMA_VERSION >= 2
    path = tmp_path / "old.db"
    v1_store(path)
    with Store.open(path) as store:
        old = store.get(1)
        assert old is not None
        assert old.target == "/old"
        send_id = store.add_send(result(1))
        assert store.get_send(send_id) is not None
        assert store.add(make_capture()).id == 2
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"captures", "sends"} <= tables
    db.close()


def test_a_new_store_has_the_sends_table(store: Store) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [row[1] for row in db.execute("PRAGMA table_info(sends)")]
    assert "secret" not in " ".join(columns)
    db.close()
