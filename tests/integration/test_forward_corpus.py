"""The hostile corpus forwarded: every request that `listen` keeps byte for byte reaches the
handler byte for byte too (pass-through), and the sender gets the handler's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.handler import Handler
from tests.helpers import Listener, exchange, start_listener
from tests.integration.test_listen_corpus import CASES, Case

FORWARDED = [c for c in CASES if c.rejected is None]
_HOP = {"transfer-encoding", "expect", "connection", "keep-alive"}


@pytest.fixture(scope="module")
def handler() -> Iterator[Handler]:
    running = Handler(body=b"from the handler\n", headers=[("X-Handler", "1")]).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory, handler: Handler) -> Iterator[Listener]:
    db: Path = tmp_path_factory.mktemp("forward-corpus") / "captures.db"
    listening = start_listener(db, "--forward", handler.url)
    yield listening
    assert listening.stop() == 0


def expected_headers(case: Case, handler: Handler) -> list[tuple[str, str]]:
    """As received, in place, minus hop-by-hop; a Host first where the sender sent none (HTTP/1.0),
    since HTTP/1.1 requires one; a body that came chunked gets its length at the end."""
    kept = [(n, v) for n, v in case.headers if n.lower() not in _HOP]
    if not any(n.lower() == "host" for n, _ in kept):
        kept.insert(0, ("Host", f"127.0.0.1:{handler.port}"))
    if case.body and not any(n.lower() == "content-length" for n, _ in kept):
        kept.append(("Content-Length", str(len(case.body))))
    return kept


@pytest.mark.parametrize("case", FORWARDED, ids=[c.name for c in FORWARDED])
def test_forwarded_byte_for_byte(listener: Listener, handler: Handler, case: Case) -> None:
    before = len(handler.received)
    responses = exchange(
        listener.port,
        case.parts,
        responses=1 + case.extra_records,
        pause_for_continue=case.pause_for_continue,
    )
    finals = [r for r in responses if r.status != 100]
    assert [r.status for r in finals] == [200] * (1 + case.extra_records)
    assert finals[0].body == b"from the handler\n"
    assert ("X-Handler", "1") in finals[0].headers
    got = handler.wait(before + 1 + case.extra_records)[before]
    assert got.method == case.method
    assert got.target == case.target
    assert got.body == case.body
    assert got.headers == expected_headers(case, handler)
    record = listener.wait_records(len(handler.received))[before]
    assert record["forward"] == [
        {
            "target": handler.url,
            "mode": "pass-through",
            "url": handler.url + case.target,
            "status": 200,
            "error": None,
        }
    ]


def test_a_refused_request_is_not_forwarded(listener: Listener, handler: Handler) -> None:
    case = next(c for c in CASES if c.name == "over-limit-with-expect")
    before = len(handler.received)
    records_before = len(listener.records)
    (response,) = exchange(listener.port, case.parts)
    assert response.status == 413
    record = listener.wait_records(records_before + 1)[records_before]
    assert record["rejected"] == "body-too-large"
    assert record["forward"] == []
    assert len(handler.received) == before
