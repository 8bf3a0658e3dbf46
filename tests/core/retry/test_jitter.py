"""Each jitter formula stays within its bounds, matches the AWS formula drawn with
`random.uniform`, and repeats exactly for the same seed."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import Jitter, JitterKind, exponential, schedule
from hookscope.core.retry.jitter import jittered

NOMINAL = [5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0]
seeds = st.integers(min_value=0, max_value=2**32)


def draw(kind: str, seed: int, nominal: list[float] = NOMINAL) -> list[float]:
    return jittered(nominal, Jitter.parse(kind), 5.0, 36000.0, random.Random(seed))


def test_no_jitter_is_the_nominal_schedule() -> None:
    assert draw("none", 1) == NOMINAL


@given(seeds)
def test_full_jitter_is_uniform_between_zero_and_the_wait(seed: int) -> None:
    waits = draw("full", seed)
    assert all(0 <= w <= d for w, d in zip(waits, NOMINAL, strict=True))
    rng = random.Random(seed)
    assert waits == pytest.approx([rng.uniform(0, d) for d in NOMINAL], rel=1e-12)


@given(seeds)
def test_equal_jitter_keeps_at_least_half_the_wait(seed: int) -> None:
    waits = draw("equal", seed)
    assert all(d / 2 <= w <= d for w, d in zip(waits, NOMINAL, strict=True))
    rng = random.Random(seed)
    assert waits == pytest.approx([d / 2 + rng.uniform(0, d / 2) for d in NOMINAL], rel=1e-12)


@given(seeds, st.integers(min_value=1, max_value=100))
def test_a_spread_stays_within_plus_or_minus_p(seed: int, percent: int) -> None:
    waits = draw(f"{percent}%", seed)
    p = percent / 100
    for w, d in zip(waits, NOMINAL, strict=True):
        assert d * (1 - p) - 1e-9 <= w <= d * (1 + p) + 1e-9


@given(seeds)
def test_decorrelated_jitter_follows_the_aws_recurrence(seed: int) -> None:
    base, cap = 5.0, 36000.0
    waits = draw("decorrelated", seed)
    rng = random.Random(seed)
    sleep = base
    for w in waits:
        assert base <= w <= min(cap, sleep * 3)
        sleep = min(cap, rng.uniform(base, sleep * 3))
        assert w == pytest.approx(sleep, rel=1e-12)


@pytest.mark.parametrize("kind", ["full", "equal", "decorrelated", "20%"])
def test_the_same_seed_draws_the_same_schedule(kind: str) -> None:
    policy = exponential(10, 1, 2, 600, Jitter.parse(kind))
    assert schedule(policy, random.Random(42)) == schedule(policy, random.Random(42))
    assert schedule(policy, random.Random(42)) != schedule(policy, random.Random(43))


def test_jitter_spreads_draws_over_the_whole_range() -> None:
    # Not a degenerate draw: over many draws full jitter covers low and high ends of [0, d].
    waits = jittered([100.0] * 2000, Jitter.parse("full"), 1.0, 100.0, random.Random(7))
    assert min(waits) < 5
    assert max(waits) > 95
    assert 45 < sum(waits) / len(waits) < 55


@pytest.mark.parametrize(
    ("text", "kind", "spread"),
    [
        ("none", JitterKind.NONE, 0.0),
        ("FULL", JitterKind.FULL, 0.0),
        ("equal", JitterKind.EQUAL, 0.0),
        ("decorrelated", JitterKind.DECORRELATED, 0.0),
        ("20%", JitterKind.SPREAD, 0.2),
        ("±12.5%", JitterKind.SPREAD, 0.125),
    ],
)
def test_parse(text: str, kind: JitterKind, spread: float) -> None:
    jitter = Jitter.parse(text)
    assert (jitter.kind, jitter.spread) == (kind, spread)
    assert Jitter.parse(str(jitter)) == jitter


@pytest.mark.parametrize("text", ["random", "0%", "150%", "x%", "spread", ""])
def test_parse_rejects_nonsense(text: str) -> None:
    with pytest.raises(HookscopeError):
        Jitter.parse(text)
