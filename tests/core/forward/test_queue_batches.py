"""A lane's next deliveries start their attempts in one commit: every attempt is still on record
before its request goes out, arrival order holds, and what was started ahead but never went out
(a retry, a pause, a stop came first) leaves no attempt behind."""

from __future__ import annotations

import sqlite3
import time

import httpx

from hookscope.core.forward import Forwarder, ForwardTarget, Mode
from hookscope.core.retry.policy import fixed
from hookscope.core.store import outbox
from tests.core.forward.conftest import Rig
from tests.handler import Received
from tests.helpers import wait_for

COUNT = 60  # more than one batch


def _queue(url: str, **kw: object) -> ForwardTarget:
    return ForwardTarget("app", url, mode=Mode.QUEUE, policy=fixed(10, 0.05), paused=True, **kw)  # type: ignore[arg-type]


def _backlog(rig: Rig, target: ForwardTarget) -> None:
    """COUNT captures waiting in the outbox of a paused target."""
    receiver = rig.run(target)
    with httpx.Client() as client:
        for n in range(COUNT):
            assert client.post(f"{receiver.url}/hooks/{n}", content=b"%d" % n).status_code == 200
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].pending == COUNT)  # type: ignore[union-attr]


def _attempts(rig: Rig) -> list[outbox.AttemptRow]:
    db = rig.store.reader()
    return [a for cid in range(1, COUNT + 1) for a in outbox.attempts_for(db, cid)]


def test_each_attempt_is_on_record_before_its_request_arrives(rig: Rig) -> None:
    db_path = rig.store.path

    def on_record(got: Received) -> int:
        # The handler's own connection: only what is committed is visible here.
        with sqlite3.connect(db_path) as db:
            found = db.execute(
                "SELECT COUNT(*) FROM forward_attempts WHERE url LIKE ? AND duration_us IS NULL",
                (f"%{got.target}",),
            ).fetchone()[0]
        return 200 if found == 1 else 599

    rig.handler.check = on_record
    _backlog(rig, _queue(rig.handler.url))
    assert rig.forwarder is not None
    rig.forwarder.resume_target("app")
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == COUNT)  # type: ignore[union-attr]
    assert [r.target for r in rig.handler.received] == [f"/hooks/{n}" for n in range(COUNT)]
    attempts = _attempts(rig)
    assert [(a.n, a.status) for a in attempts] == [(1, 200)] * COUNT
    # Started ahead, but each records when its request really went out, in order.
    starts = [a.started_us for a in attempts]
    assert starts == sorted(starts)
    assert len(set(starts)) == COUNT


def test_a_retry_inside_a_batch_keeps_order_and_leaves_nothing_started(rig: Rig) -> None:
    failed: list[str] = []

    def once(got: Received) -> int:
        if got.target == "/hooks/5" and not failed:
            failed.append(got.target)
            return 503
        return 200

    rig.handler.check = once
    _backlog(rig, _queue(rig.handler.url))
    assert rig.forwarder is not None
    rig.forwarder.resume_target("app")
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == COUNT)  # type: ignore[union-attr]
    targets = [r.target for r in rig.handler.received]
    assert targets == ["/hooks/0", "/hooks/1", "/hooks/2", "/hooks/3", "/hooks/4", "/hooks/5",
                       *[f"/hooks/{n}" for n in range(5, COUNT)]]  # fmt: skip
    by_capture: dict[int, list[tuple[int, int | None]]] = {}
    for attempt in _attempts(rig):
        by_capture.setdefault(attempt.capture_id, []).append((attempt.n, attempt.status))
    assert by_capture.pop(6) == [(1, 503), (2, 200)]
    assert list(by_capture.values()) == [[(1, 200)]] * (COUNT - 1)


def test_a_stop_mid_batch_unstarts_what_did_not_go_out(rig: Rig) -> None:
    def slow(got: Received) -> int:
        time.sleep(0.02)  # the handler's pace: the stop lands inside a batch
        return 200

    rig.handler.check = slow
    target = _queue(rig.handler.url)
    _backlog(rig, target)
    forwarder = rig.forwarder
    assert forwarder is not None
    forwarder.resume_target("app")
    rig.handler.wait(5)
    forwarder.stop()
    reached = {r.target for r in rig.handler.received}
    attempts = _attempts(rig)
    # An attempt on record for each request that went out, and for no other.
    assert {a.url.removeprefix(rig.handler.url) for a in attempts} == reached
    assert all(a.duration_ms is not None for a in attempts)  # none left in flight
    # The next start delivers the rest, each in its first attempt.
    rig.forwarder = Forwarder(rig.store, [target])
    rig.forwarder.start()
    rig.forwarder.resume_target("app")
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == COUNT)  # type: ignore[union-attr]
    for attempt in _attempts(rig):
        if attempt.url.removeprefix(rig.handler.url) not in reached:
            assert (attempt.n, attempt.status) == (1, 200)
