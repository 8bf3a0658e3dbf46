"""Every exact preset reproduces the reference's cumulative timeline (§3), and approximations
say they are approximations."""

from __future__ import annotations

import random

import pytest

from hookscope.core.retry import PRESETS, Outcome, Scenario, StopReason, format_duration, simulate
from tests.core.retry.timelines import cumulative, seconds

# Copied from reference/signing-and-retries.md §3 "Cumulative timelines" (hours past 24 there are
# written both as `31:35:05` and `1d 07:35:05`; `seconds` reads either).
REFERENCE_TIMELINES = {
    "svix": "00:00:00, 00:00:05, 00:05:05, 00:35:05, 02:35:05, 07:35:05, 17:35:05, 1d 03:35:05",
    "standard-webhooks": "00:00:00, 00:00:05, 00:05:05, 00:35:05, 02:35:05, 07:35:05, 17:35:05, "
    "1d 07:35:05, 2d 03:35:05, 3d 03:35:05",
    "zoom": "00:00:00, 00:05:00, 00:25:00, 01:25:00",
    "mailgun": "00:00:00, 00:05:00, 00:15:00, 00:30:00, 01:30:00, 03:30:00, 07:30:00",
    "slack": "00:00:00, 00:00:00, 00:01:00, 00:06:00",
    "adyen": "00:00:00, 00:00:09, 00:00:18, 00:00:27, 00:02:27, 00:07:27, 00:17:27, 00:32:27, "
    "01:02:27, 02:02:27, 04:02:27, 08:02:27, 16:02:27",
    "aws-sns-default": "00:00:00, 00:00:20, 00:00:40, 00:01:00",
    # Pub/Sub: the default 10 s minimum backoff doubling to the 600 s maximum, 5 attempts.
    "pubsub": "00:00:00, 00:00:10, 00:00:30, 00:01:10, 00:02:30",
    "github": "00:00:00",
}
EXACT = sorted(REFERENCE_TIMELINES)
APPROXIMATE = ["stripe", "shopify", "paddle"]


def test_the_presets_are_exactly_the_contracts_list() -> None:
    assert sorted(PRESETS) == sorted(EXACT + APPROXIMATE)


@pytest.mark.parametrize("name", EXACT)
def test_exact_preset_matches_the_reference_timeline(name: str) -> None:
    expected = [seconds(part.strip()) for part in REFERENCE_TIMELINES[name].split(",")]
    policy = PRESETS[name]
    assert policy.exact
    assert cumulative(policy) == expected


@pytest.mark.parametrize("name", EXACT)
def test_an_outage_longer_than_the_schedule_fails_every_attempt_at_the_reference_times(
    name: str,
) -> None:
    expected = [seconds(part.strip()) for part in REFERENCE_TIMELINES[name].split(",")]
    timeline = simulate(PRESETS[name], Scenario(fail_first=1000), random.Random(0))
    assert [a.at_s for a in timeline.attempts] == expected
    assert all(a.outcome is Outcome.FAILURE for a in timeline.attempts)
    assert timeline.gave_up_at_s == expected[-1]
    assert timeline.stop is StopReason.EXHAUSTED


def test_human_durations_render_the_reference_notation() -> None:
    svix = [format_duration(t) for t in cumulative(PRESETS["svix"])]
    assert svix == [p.strip() for p in REFERENCE_TIMELINES["svix"].split(",")]


@pytest.mark.parametrize("name", APPROXIMATE)
def test_approximations_are_labelled(name: str) -> None:
    policy = PRESETS[name]
    assert not policy.exact
    assert any(note.startswith("approximation:") for note in policy.notes)
    assert policy.describe()["exact"] is False


def test_approximations_stay_within_what_the_providers_publish() -> None:
    day, hour = 86400, 3600
    stripe, shopify, paddle = (cumulative(PRESETS[n]) for n in APPROXIMATE)
    assert stripe[-1] <= 3 * day  # "for up to three days"
    assert len(shopify) == 1 + 8
    assert 3.5 * hour <= shopify[-1] <= 4 * hour  # "8 retries over 4 hours"
    assert len(paddle) == 1 + 60
    assert 2.5 * day <= paddle[-1] <= 3 * day  # "up to 60 retries over 3 days"
    for waits in (PRESETS[n].delays_s for n in APPROXIMATE):
        assert list(waits) == sorted(waits)  # exponential backoff never shortens a wait


def test_preset_semantics_follow_the_reference() -> None:
    assert PRESETS["zoom"].semantics.timeout_s == 3
    assert not PRESETS["zoom"].semantics.is_success(201)
    assert PRESETS["pubsub"].semantics.is_success(102)
    assert not PRESETS["pubsub"].semantics.is_success(203)
    assert not PRESETS["mailgun"].semantics.is_success(204)
    assert PRESETS["svix"].semantics.timeout_s == 15
    assert PRESETS["github"].attempts == 1
    for policy in PRESETS.values():
        assert not policy.semantics.is_success(301)  # redirects fail everywhere
        assert policy.source
