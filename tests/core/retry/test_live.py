"""Live runs: a policy played for real, compressed, against hookscope's own receiver with fault
rules (127.0.0.1), landing attempts in its store; and against nothing at all."""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from random import Random

import pytest
import svix.webhooks

from hookscope.core.errors import HookscopeError
from hookscope.core.receiver import Receiver
from hookscope.core.responder import Responder
from hookscope.core.retry import PRESETS, Outcome, Scenario, StopReason, fixed, simulate
from hookscope.core.retry.live import LiveAttempt, LiveRun, attempt_timeout
from hookscope.core.rules import Action, Rule, RuleSet
from hookscope.core.send.sender import OutgoingRequest
from hookscope.core.signing.signer import SchemeSigner
from hookscope.core.store import Store

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
BODY = b'{"type":"invoice.paid","data":{"id":"in_1","amount":4200}}'
HOUR = 1 / 3600  # time scale: one hour of schedule per second


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.db") as opened:
        yield opened


@pytest.fixture
def receiver_with(store: Store) -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(*rules: Rule) -> Receiver:
        receiver = Receiver(store, port=0, responder=Responder(rules=RuleSet(rules)))
        receiver.start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


def event(url: str) -> OutgoingRequest:
    return OutgoingRequest("POST", url, (("Content-Type", "application/json"),), BODY)


def test_svix_through_a_receiver_failing_twice_delivers_on_attempt_3(
    store: Store, receiver_with: Callable[..., Receiver]
) -> None:
    receiver = receiver_with(Rule("flaky", path="/hooks/*", first=2, status=503))
    # Each attempt signs one minute later than the one before: the signature is made per attempt.
    calls = iter(range(100))
    signer = SchemeSigner("svix", SECRET, clock=lambda: time.time() + 60 * next(calls))
    url = f"{receiver.url}/hooks/svix"
    run = LiveRun(PRESETS["svix"], event(url), signer=signer, time_scale=HOUR)
    seen: list[LiveAttempt] = []
    summary = asyncio.run(run.run(on_attempt=seen.append))

    assert summary.delivered
    assert [a.n for a in seen] == [1, 2, 3]
    assert seen == list(summary.attempts)
    assert [(a.status, a.outcome) for a in seen] == [
        (503, Outcome.FAILURE),
        (503, Outcome.FAILURE),
        (200, Outcome.SUCCESS),
    ]
    # The schedule is the simulator's, to the second: 0, 5 s, 5 min 5 s.
    expected = simulate(PRESETS["svix"], Scenario(fail_first=2), Random(0))
    assert [a.scheduled_at_s for a in seen] == [a.at_s for a in expected.attempts] == [0, 5, 305]
    assert [a.next_wait_s for a in seen] == [5, 300, None]
    assert summary.delivered_at_s == expected.delivered_at_s == 305
    assert seen[0].sent_after_s <= seen[1].sent_after_s <= seen[2].sent_after_s
    # Every attempt landed, the same event each time, freshly signed, and each one verifies.
    captures = list(store.iter_captures())
    assert [(c.rule, c.response_status) for c in captures] == [
        ("flaky", 503),
        ("flaky", 503),
        (None, 200),
    ]
    assert {c.header("svix-id") for c in captures} == {signer.msg_id}
    assert len({c.header("svix-timestamp") for c in captures}) == 3
    assert len({c.header("svix-signature") for c in captures}) == 3
    for capture in captures:
        assert capture.body == BODY
        headers = {name: value for name, value in capture.headers}
        svix.webhooks.Webhook(SECRET).verify(capture.body, headers)  # raises if not valid


def test_retry_after_replaces_the_wait_and_is_compressed_too(
    store: Store, receiver_with: Callable[..., Receiver]
) -> None:
    receiver = receiver_with(Rule("busy", first=1, status=503, headers=(("Retry-After", "7200"),)))
    run = LiveRun(PRESETS["standard-webhooks"], event(f"{receiver.url}/h"), time_scale=HOUR / 10)
    summary = asyncio.run(run.run())
    assert [a.next_wait_s for a in summary.attempts] == [7200, None]  # not the preset's 5 s
    assert summary.delivered_at_s == 7200
    assert store.count() == 2


def test_410_stops_at_once(receiver_with: Callable[..., Receiver]) -> None:
    receiver = receiver_with(Rule("gone", status=410))
    summary = asyncio.run(
        LiveRun(PRESETS["standard-webhooks"], event(f"{receiver.url}/h"), time_scale=HOUR).run()
    )
    assert len(summary.attempts) == 1
    assert (summary.delivered, summary.stop, summary.gave_up_at_s) == (False, StopReason.GONE, 0)


def test_svix_abort_header_stops(receiver_with: Callable[..., Receiver]) -> None:
    abort = Rule("abort", status=500, headers=(("webhook-delivery", "abort-message"),))
    receiver = receiver_with(abort)
    summary = asyncio.run(LiveRun(PRESETS["svix"], event(f"{receiver.url}/h")).run())
    assert len(summary.attempts) == 1
    assert summary.stop is StopReason.ABORTED


def test_hold_past_the_scaled_timeout_is_a_timeout(
    store: Store, receiver_with: Callable[..., Receiver]
) -> None:
    receiver = receiver_with(Rule("hang", first=1, action=Action.HOLD, hold_s=0.6))
    run = LiveRun(PRESETS["svix"], event(f"{receiver.url}/h"), time_scale=HOUR, timeout_floor_s=0.2)
    assert run.timeout_s == 0.2  # Svix's 15 s compressed is 4 ms: the floor holds it at 0.2 s
    summary = asyncio.run(run.run())
    first, second = summary.attempts
    assert first.outcome is Outcome.TIMEOUT
    assert first.result.timed_out
    assert first.status is None
    assert second.outcome is Outcome.SUCCESS
    # In schedule time the timed-out attempt took Svix's 15 s before the 5 s wait began.
    expected = simulate(PRESETS["svix"], Scenario(timeout_first=1), Random(0))
    assert [a.scheduled_at_s for a in summary.attempts] == [a.at_s for a in expected.attempts]
    assert summary.delivered_at_s == 20
    assert [a.schedule_elapsed_s for a in summary.attempts] == [15, 0]
    assert [c.rule for c in store.iter_captures()] == ["hang", None]


def test_reset_connection_is_a_failure_without_status(
    receiver_with: Callable[..., Receiver],
) -> None:
    receiver = receiver_with(Rule("drop", first=1, action=Action.RESET))
    run = LiveRun(PRESETS["svix"], event(f"{receiver.url}/h"), time_scale=HOUR)
    summary = asyncio.run(run.run())
    first, second = summary.attempts
    assert (first.outcome, first.status, first.result.timed_out) == (Outcome.FAILURE, None, False)
    assert first.error is not None
    assert "reset" in first.error.lower()
    assert second.status == 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_unreachable_url_gives_up_with_connection_errors() -> None:
    policy = fixed(3, 10.0)
    run = LiveRun(policy, event(f"http://127.0.0.1:{free_port()}/h"), time_scale=1 / 100)
    summary = asyncio.run(run.run())
    assert not summary.delivered
    assert summary.stop is StopReason.EXHAUSTED
    assert summary.gave_up_at_s == 20
    assert [a.scheduled_at_s for a in summary.attempts] == [0, 10, 20]
    for attempt in summary.attempts:
        assert attempt.status is None
        assert attempt.outcome is Outcome.FAILURE
        assert attempt.error is not None
        assert "connection refused" in attempt.error


def long_waits() -> LiveRun:
    """A run whose next attempt is an hour of real time away: only a cancel ends it soon."""
    return LiveRun(fixed(5, 3600.0), event("http://127.0.0.1:1/unused"), time_scale=1.0)


def test_cancel_ends_a_wait_and_reports_cancelled(
    store: Store, receiver_with: Callable[..., Receiver]
) -> None:
    receiver = receiver_with(Rule("down", status=503))
    run = LiveRun(fixed(5, 3600.0), event(f"{receiver.url}/h"), time_scale=1.0)
    summary = asyncio.run(run.run(on_attempt=lambda _: run.cancel()))
    assert summary.cancelled
    assert len(summary.attempts) == 1
    assert (summary.delivered_at_s, summary.gave_up_at_s, summary.stop) == (None, None, None)
    assert store.count() == 1


def test_cancel_from_another_thread() -> None:
    run = long_waits()

    def cancel_elsewhere(_: LiveAttempt) -> None:
        threading.Thread(target=run.cancel).start()

    summary = asyncio.run(run.run(on_attempt=cancel_elsewhere))
    assert summary.cancelled
    assert len(summary.attempts) == 1


def test_cancelling_the_task_stops_the_run() -> None:
    run = long_waits()

    async def main() -> asyncio.Task[object]:
        async with asyncio.TaskGroup() as group:
            task = group.create_task(run.run(on_attempt=lambda _: task.cancel()))
        return task

    task = asyncio.run(main())
    assert task.cancelled()
    assert run.summary is not None
    assert run.summary.cancelled
    assert len(run.summary.attempts) == 1


def test_attempts_as_an_async_iterator_and_runs_once(
    receiver_with: Callable[..., Receiver],
) -> None:
    receiver = receiver_with(Rule("down", status=500))
    run = LiveRun(fixed(4, 1.0), event(f"{receiver.url}/h"), time_scale=1 / 100)

    async def first_two() -> list[int | None]:
        statuses = []
        async for attempt in run.attempts():
            statuses.append(attempt.status)
            if attempt.n == 2:
                break
        with pytest.raises(RuntimeError, match="runs once"):
            await run.run()
        return statuses

    assert asyncio.run(first_two()) == [500, 500]
    assert run.summary is not None
    assert run.summary.cancelled  # left before the end


def test_attempt_timeout_is_scaled_with_a_floor_and_a_ceiling() -> None:
    svix = PRESETS["svix"]  # 15 s
    assert attempt_timeout(svix, HOUR, 1.0) == 1.0
    assert attempt_timeout(svix, 1 / 5, 1.0) == 3.0
    assert attempt_timeout(svix, 1.0, 1.0) == 15.0
    assert attempt_timeout(svix.with_timeout(0.5), HOUR, 1.0) == 0.5  # never past the policy's


@pytest.mark.parametrize(
    ("scale", "floor", "message"),
    [
        (0, 1.0, "the time scale must be a number > 0, got 0"),
        (-1, 1.0, "the time scale must be a number > 0, got -1"),
        (float("nan"), 1.0, "the time scale must be a number > 0, got nan"),
        (HOUR, 0, "the timeout floor must be seconds > 0, got 0"),
    ],
)
def test_bad_settings_are_refused(scale: float, floor: float, message: str) -> None:
    with pytest.raises(HookscopeError, match=message):
        LiveRun(
            PRESETS["svix"], event("http://127.0.0.1:1/"), time_scale=scale, timeout_floor_s=floor
        )
