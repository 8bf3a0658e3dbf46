"""Many events released together: lock-step retries without jitter, spread with it, and a
receiver with a capacity that turns the herd into failures."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import (
    PRESETS,
    HerdReport,
    Jitter,
    Outage,
    Scenario,
    exponential,
    simulate,
    simulate_herd,
)

OUTAGE_1H = Scenario(outages=(Outage(0, 3600),))


def herd(jitter: str, events: int = 500, seed: int = 1, **options: object) -> HerdReport:
    policy = PRESETS["svix"].with_jitter(Jitter.parse(jitter))
    return simulate_herd(policy, OUTAGE_1H, events, random.Random(seed), **options)  # type: ignore[arg-type]


def test_without_jitter_the_whole_herd_lands_in_one_second_when_the_outage_ends() -> None:
    report = herd("none")
    assert (report.delivered, report.gave_up) == (500, 0)
    assert report.peak.per_s == report.retry_peak.per_s == 500
    assert report.peak.at_s == 9305  # svix's fifth attempt, the first after the outage
    assert report.latency_p50_s == report.latency_p99_s == 9305
    assert report.refused == 4 * 500
    assert report.attempts == 5 * 500


@pytest.mark.parametrize("jitter", ["full", "equal", "decorrelated", "20%"])
def test_jitter_lowers_the_peak(jitter: str) -> None:
    # Decorrelated jitter on svix grows from 5 s and mostly stays inside the outage: fewer events
    # get through, but whatever gets through is spread out too.
    report = herd(jitter)
    assert report.peak.per_s <= 500 / 10
    assert report.retry_peak.per_s <= 500 / 10


def test_full_jitter_has_a_longer_tail_than_equal_jitter() -> None:
    # Reference §4.3: full jitter draws many retries early, back inside the outage.
    full, equal = herd("full", 2000), herd("equal", 2000)
    assert full.attempts > equal.attempts
    assert full.latency_p99_s is not None
    assert equal.latency_p99_s is not None
    assert full.latency_p99_s > equal.latency_p99_s


def test_the_same_seed_gives_the_same_herd() -> None:
    first, again, other = herd("full", seed=3), herd("full", seed=3), herd("full", seed=4)
    assert first == again
    assert first.latencies_s != other.latencies_s


@pytest.mark.parametrize("seed", range(6))
def test_one_event_is_exactly_the_single_simulation(seed: int) -> None:
    policy = exponential(8, 10, 2, 900, Jitter.parse("full"))
    scenario = Scenario(outages=(Outage(0, 300),), timeout_first=2)
    single = simulate(policy, scenario, random.Random(seed))
    report = simulate_herd(policy, scenario, 1, random.Random(seed))
    times = sorted([*report.refused_times_s, *report.first_attempt_times_s, *report.retry_times_s])
    assert times == [a.at_s for a in single.attempts]
    if single.delivered:
        assert list(report.latencies_s) == [single.delivered_at_s]
    else:
        assert (report.delivered, report.gave_up) == (0, 1)


def test_a_release_window_spreads_first_attempts() -> None:
    policy = PRESETS["zoom"]
    report = simulate_herd(policy, Scenario(), 3000, random.Random(2), release_over_s=60)
    assert report.delivered == 3000
    assert set(report.latencies_s) == {0.0}
    assert all(0 <= t < 60 for t in report.first_attempt_times_s)
    assert report.peak.per_s < 3000 / 60 * 2


def test_capacity_answers_503_beyond_it_and_the_rest_retry() -> None:
    report = simulate_herd(PRESETS["svix"], Scenario(), 50, random.Random(0), capacity_per_s=10)
    assert Counter(report.latencies_s) == {0: 10, 5: 10, 305: 10, 2105: 10, 9305: 10}
    assert report.attempts == 50 + 40 + 30 + 20 + 10
    assert report.peak.per_s == 50


def test_with_a_capacity_jitter_delivers_the_herd_sooner() -> None:
    # Reference §4.3's retry storm, scaled down: lock-step waves overflow the receiver again
    # and again, pushing events to much later steps; a ±20 % spread avoids that.
    def p99(jitter: str) -> float:
        policy = PRESETS["svix"].with_jitter(Jitter.parse(jitter))
        report = simulate_herd(
            policy,
            Scenario(outages=(Outage(0, 600),)),
            2000,
            random.Random(1),
            release_over_s=20,
            capacity_per_s=50,
        )
        assert report.delivered == 2000
        assert report.latency_p99_s is not None
        return report.latency_p99_s

    assert p99("none") > 4 * p99("20%")


def test_load_series_counts_what_reached_the_receiver() -> None:
    report = herd("full")
    load = report.load()
    reached = len(report.first_attempt_times_s) + len(report.retry_times_s)
    assert sum(load.counts) == reached
    assert sum(report.refused_load(load.bucket_s).counts) == report.refused
    assert len(load.counts) <= 600
    assert herd("none").load(bucket_s=1).counts[9305] == 500


def test_describe_has_the_contract_fields() -> None:
    described = herd("none", 20).describe()
    for key in ("events", "delivered", "latency_p50_s", "latency_p99_s", "peak_attempts_per_s"):
        assert key in described
    assert described["events"] == described["delivered"] == 20
    assert described["peak_attempts_per_s"] == 20


@pytest.mark.parametrize(
    ("events", "options", "message"),
    [
        (0, {}, "events must be 1 to"),
        (2_000_000, {}, "events must be 1 to"),
        (1_000_000, {}, "attempts is over"),
        (10, {"capacity_per_s": 0}, "capacity must be"),
        (10, {"release_over_s": -1.0}, "release window"),
    ],
)
def test_limits(events: int, options: dict[str, float], message: str) -> None:
    with pytest.raises(HookscopeError, match=message):
        simulate_herd(PRESETS["adyen"], Scenario(), events, random.Random(0), **options)  # type: ignore[arg-type]
