"""Formula policies follow the contract's formulas; bad parameters are one-line errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import Jitter, Shape, exponential, fixed, linear
from hookscope.core.retry.catalog import build_policy


@given(
    attempts=st.integers(1, 60),
    base=st.floats(0.001, 1000),
    factor=st.floats(1, 10),
    cap_over_base=st.floats(1, 1e6),
)
def test_exponential_waits_follow_the_contract_formula(
    attempts: int, base: float, factor: float, cap_over_base: float
) -> None:
    cap = base * cap_over_base
    policy = exponential(attempts, base, factor, cap)
    assert policy.attempts == attempts
    for k in range(2, attempts + 1):
        expected = min(cap, base * factor ** (k - 2))
        assert policy.delays_s[k - 2] == pytest.approx(expected, rel=1e-9)


def test_exponential_worked_example() -> None:
    assert exponential(6, 10, 3, 200).delays_s == (10, 30, 90, 200, 200)


def test_linear_adds_the_base_each_time_up_to_the_cap() -> None:
    assert linear(6, 10, 35).delays_s == (10, 20, 30, 35, 35)


def test_fixed_waits_the_base() -> None:
    policy = fixed(4, 30)
    assert (policy.shape, policy.delays_s) == (Shape.FIXED, (30, 30, 30))


def test_one_attempt_means_no_retries() -> None:
    assert exponential(1, 10, 2, 60).delays_s == ()


def test_a_thousand_attempts_do_not_overflow() -> None:
    policy = exponential(1000, 1, 10, 86400)
    assert policy.delays_s[-1] == 86400


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: exponential(0, 1, 2, 10), "attempts must be 1 to 1000"),
        (lambda: exponential(1001, 1, 2, 10), "attempts must be 1 to 1000"),
        (lambda: exponential(3, 1, 0.5, 10), "factor must be at least 1"),
        (lambda: exponential(3, -1, 2, 10), "base must be"),
        (lambda: exponential(3, 10, 2, 5), "max delay (5 s) must be at least the base (10 s)"),
        (lambda: exponential(3, 0, 2, 5, Jitter.parse("decorrelated")), "base must be"),
        (lambda: linear(3, float("nan"), 5), "base must be"),
        (lambda: fixed(3, 5).with_timeout(0), "timeout must be"),
    ],
)
def test_bad_parameters_are_reported(make: Callable[[], object], message: str) -> None:
    with pytest.raises(HookscopeError) as raised:
        make()
    assert message in str(raised.value)


def test_build_policy_uses_the_defaults() -> None:
    policy = build_policy("exponential")
    assert (policy.attempts, policy.base_s, policy.factor, policy.max_delay_s) == (10, 10, 2, 3600)
    assert build_policy("fixed", base_s=7200).delays_s[0] == 7200
    assert build_policy("linear", base_s=7200).max_delay_s == 7200  # the cap follows a big base


def test_build_policy_takes_jitter_and_timeout_for_presets() -> None:
    policy = build_policy("SVIX", jitter=Jitter.parse("full"), timeout_s=30)
    assert (policy.name, str(policy.jitter), policy.semantics.timeout_s) == ("svix", "full", 30)


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("svix", {"base_s": 5.0}, "--base: only for exponential, linear and fixed"),
        ("linear", {"factor": 3.0}, "--factor: not a parameter of the linear policy"),
        ("fixed", {"max_delay_s": 3.0}, "--max-delay: not a parameter of the fixed policy"),
        ("nope", {}, "unknown policy 'nope'; choose one of svix,"),
    ],
)
def test_build_policy_rejects_mismatched_options(
    name: str, options: dict[str, float], message: str
) -> None:
    with pytest.raises(HookscopeError) as raised:
        build_policy(name, **options)  # type: ignore[arg-type]
    assert message in str(raised.value)
