"""The delivery state machine, fed answers one by one as a live run would feed it."""

from __future__ import annotations

import random

import pytest

from hookscope.core.retry import (
    PRESETS,
    AttemptAnswer,
    Delivery,
    Jitter,
    Outcome,
    StopReason,
    exponential,
    schedule,
)


def test_it_returns_the_drawn_waits_in_order_until_exhausted() -> None:
    policy = exponential(4, 10, 2, 3600)
    delivery = Delivery(policy, [10.0, 20.0, 40.0])
    waits = [delivery.after(AttemptAnswer(500)).wait_s for _ in range(3)]
    last = delivery.after(AttemptAnswer(500))
    assert waits == [10, 20, 40]
    assert (last.wait_s, last.stop, last.done, delivery.done) == (
        None,
        StopReason.EXHAUSTED,
        True,
        True,
    )


def test_a_success_ends_it_delivered() -> None:
    delivery = Delivery.start(PRESETS["svix"], random.Random(0))
    delivery.after(AttemptAnswer.refused())
    decision = delivery.after(AttemptAnswer(202))
    assert decision.delivered
    assert decision.done
    assert decision.stop is None
    assert (delivery.delivered, delivery.attempts_made) == (True, 2)


def test_retry_after_wins_over_the_schedule_in_both_directions() -> None:
    delivery = Delivery(exponential(4, 10, 2, 3600), [10.0, 20.0, 40.0])
    assert delivery.after(AttemptAnswer(503, (("Retry-After", "600"),))).wait_s == 600
    assert delivery.after(AttemptAnswer(503, (("Retry-After", "1"),))).wait_s == 1
    assert delivery.after(AttemptAnswer(503)).wait_s == 40  # the schedule resumes at its place


def test_a_stop_status_ends_it_early() -> None:
    delivery = Delivery.start(PRESETS["standard-webhooks"], random.Random(0))
    decision = delivery.after(AttemptAnswer(410))
    assert (decision.done, decision.stop, decision.verdict.outcome) == (
        True, StopReason.GONE, Outcome.FAILURE)  # fmt: skip


def test_an_attempt_after_the_end_is_a_bug() -> None:
    delivery = Delivery.start(PRESETS["github"], random.Random(0))
    assert delivery.after(AttemptAnswer(500)).stop is StopReason.EXHAUSTED
    with pytest.raises(RuntimeError):
        delivery.after(AttemptAnswer(200))


def test_start_draws_the_same_schedule_as_schedule() -> None:
    policy = exponential(5, 1, 2, 60, Jitter.parse("full"))
    delivery = Delivery.start(policy, random.Random(9))
    drawn = schedule(policy, random.Random(9))
    assert [delivery.after(AttemptAnswer(500)).wait_s for _ in range(4)] == drawn


def test_a_plan_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="one wait per retry"):
        Delivery(exponential(3, 1, 2, 60), [1.0])
