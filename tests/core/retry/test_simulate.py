"""One event against failure scenarios: fail-first, outages, timeouts, 410, Retry-After, abort."""

from __future__ import annotations

import random

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import (
    PRESETS,
    Jitter,
    Outage,
    Outcome,
    Scenario,
    StopReason,
    Timeline,
    exponential,
    simulate,
)

S, F, T = Outcome.SUCCESS, Outcome.FAILURE, Outcome.TIMEOUT


def run(preset: str, **scenario: object) -> Timeline:
    return simulate(PRESETS[preset], Scenario(**scenario), random.Random(0))  # type: ignore[arg-type]


def shape(timeline: Timeline) -> list[tuple[float, float, Outcome]]:
    return [(a.at_s, a.delay_s, a.outcome) for a in timeline.attempts]


def test_no_failure_delivers_on_the_first_attempt() -> None:
    timeline = run("svix")
    assert shape(timeline) == [(0, 0, S)]
    assert (timeline.delivered, timeline.delivered_at_s, timeline.gave_up_at_s) == (True, 0, None)


def test_svix_three_failures_then_success_lands_35_min_5_s_later() -> None:
    timeline = run("svix", fail_first=3)
    assert shape(timeline) == [(0, 0, F), (5, 5, F), (305, 300, F), (2105, 1800, S)]
    assert [a.status for a in timeline.attempts] == [503, 503, 503, 200]
    assert timeline.delivered_at_s == 35 * 60 + 5


def test_an_outage_refuses_attempts_until_it_ends() -> None:
    timeline = run("svix", outages=(Outage(0, 3600),))
    assert [a.at_s for a in timeline.attempts] == [0, 5, 305, 2105, 9305]
    assert [a.status for a in timeline.attempts] == [None, None, None, None, 200]
    assert timeline.delivered_at_s == 9305


def test_an_outage_ends_before_its_end_second() -> None:
    assert run("svix", outages=(Outage(0, 2105),)).delivered_at_s == 2105
    assert run("svix", outages=(Outage(0, 2105.001),)).delivered_at_s == 9305


def test_several_outages() -> None:
    timeline = run("zoom", outages=(Outage(0, 1), Outage(300, 301), Outage(1000, 2000)))
    assert shape(timeline) == [(0, 0, F), (300, 300, F), (1500, 1200, F), (5100, 3600, S)]


def test_an_outage_longer_than_the_schedule_gives_up() -> None:
    timeline = run("zoom", outages=(Outage(0, 86400),))
    assert (timeline.delivered, timeline.gave_up_at_s, timeline.stop) == (
        False, 5100, StopReason.EXHAUSTED)  # fmt: skip


def test_timeouts_delay_the_next_attempt_by_the_timeout() -> None:
    # Zoom waits 3 s for an answer; each wait starts once the attempt has failed.
    timeline = run("zoom", timeout_first=2)
    assert shape(timeline) == [(0, 0, T), (303, 300, T), (1506, 1200, S)]
    assert [a.status for a in timeline.attempts] == [None, None, 200]


def test_giving_up_after_a_timeout_counts_the_timeout() -> None:
    timeline = run("github", timeout_first=1)
    assert (timeline.delivered, timeline.gave_up_at_s) == (False, 10)


def test_timeouts_and_failures_combine() -> None:
    timeline = run("aws-sns-default", timeout_first=1, fail_first=2)
    assert shape(timeline) == [(0, 0, T), (35, 20, F), (55, 20, S)]


def test_an_outage_refuses_even_an_attempt_meant_to_time_out() -> None:
    timeline = run("zoom", timeout_first=1, outages=(Outage(0, 1),))
    assert shape(timeline)[0] == (0, 0, F)


def test_410_stops_a_standard_webhooks_sender_at_once() -> None:
    timeline = run("standard-webhooks", fail_first=3, fail_status=410)
    assert shape(timeline) == [(0, 0, F)]
    assert (timeline.stop, timeline.gave_up_at_s) == (StopReason.GONE, 0)


def test_410_is_just_a_failure_for_zoom() -> None:
    assert run("zoom", fail_first=1, fail_status=410).delivered_at_s == 300


def test_retry_after_replaces_the_scheduled_waits() -> None:
    timeline = run("standard-webhooks", fail_first=3, fail_headers=(("Retry-After", "60"),))
    assert shape(timeline) == [(0, 0, F), (60, 60, F), (120, 60, F), (180, 60, S)]


def test_retry_after_is_ignored_by_a_sender_that_does_not_honour_it() -> None:
    timeline = run("svix", fail_first=1, fail_headers=(("Retry-After", "60"),))
    assert timeline.delivered_at_s == 5


def test_svix_abort_header_stops_at_once() -> None:
    timeline = run("svix", fail_first=5, fail_headers=(("webhook-delivery", "abort-message"),))
    assert (len(timeline.attempts), timeline.stop) == (1, StopReason.ABORTED)


def test_mailgun_gives_up_on_406() -> None:
    assert run("mailgun", fail_first=2, fail_status=406).stop is StopReason.REJECTED


def test_a_redirect_is_a_failure() -> None:
    assert run("svix", fail_first=1, fail_status=302).delivered_at_s == 5


def test_jittered_simulation_repeats_for_a_seed() -> None:
    policy = exponential(8, 1, 2, 600, Jitter.parse("full"))
    scenario = Scenario(outages=(Outage(0, 30),))
    first = simulate(policy, scenario, random.Random(5))
    assert first == simulate(policy, scenario, random.Random(5))
    assert first != simulate(policy, scenario, random.Random(6))
    at = [a.at_s for a in first.attempts]
    assert at == sorted(at)
    assert first.delivered_at_s is not None
    assert first.delivered_at_s >= 30


@pytest.mark.parametrize("text", ["10", "a:b", "5:5", "9:3", "-1:4", "1:inf", ":3"])
def test_bad_outages_are_reported(text: str) -> None:
    with pytest.raises(HookscopeError, match="outage"):
        Outage.parse(text)


def test_outage_parses_fractions() -> None:
    assert Outage.parse("0.5:90") == Outage(0.5, 90)
