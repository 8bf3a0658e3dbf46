"""A policy by name, as a user picks one: a preset, or a formula with its parameters.

Shared by every face that lets a user choose a policy (simulate, send --retry, the app), so that
defaults and the rules about which parameter goes with which policy live in one place."""

from __future__ import annotations

from hookscope.core.errors import HookscopeError
from hookscope.core.retry.jitter import NO_JITTER, Jitter
from hookscope.core.retry.policy import Policy, exponential, fixed, linear
from hookscope.core.retry.presets import PRESETS

__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_BASE_S",
    "DEFAULT_FACTOR",
    "DEFAULT_MAX_DELAY_S",
    "FORMULAS",
    "build_policy",
    "policy_names",
]

FORMULAS = ("exponential", "linear", "fixed")

# Formula defaults: ten attempts, 10 s doubling to a 1 h cap (reference §4.3's "10 s·2ⁿ, cap 1 h").
# A base above the default cap raises the cap to the base rather than failing.
DEFAULT_ATTEMPTS = 10
DEFAULT_BASE_S = 10.0
DEFAULT_FACTOR = 2.0
DEFAULT_MAX_DELAY_S = 3600.0

# Which formula parameters each formula uses; giving another one is a mistake worth reporting.
_PARAMETERS = {
    "exponential": {"attempts", "base_s", "factor", "max_delay_s"},
    "linear": {"attempts", "base_s", "max_delay_s"},
    "fixed": {"attempts", "base_s"},
}
_OPTION = {"attempts": "--attempts", "base_s": "--base", "factor": "--factor",
           "max_delay_s": "--max-delay"}  # fmt: skip


def policy_names() -> list[str]:
    return [*PRESETS, *FORMULAS]


def build_policy(
    name: str,
    *,
    attempts: int | None = None,
    base_s: float | None = None,
    factor: float | None = None,
    max_delay_s: float | None = None,
    jitter: Jitter | None = None,
    timeout_s: float | None = None,
) -> Policy:
    """Parameters left None take the defaults. A preset takes only a jitter and a timeout: its
    waits are the provider's."""
    given = {
        key
        for key, value in (
            ("attempts", attempts),
            ("base_s", base_s),
            ("factor", factor),
            ("max_delay_s", max_delay_s),
        )
        if value is not None
    }
    key = name.strip().lower()
    if key in PRESETS:
        if given:
            options = ", ".join(_OPTION[g] for g in sorted(given))
            raise HookscopeError(
                f"{options}: only for exponential, linear and fixed; {key} is a provider preset"
            )
        policy = PRESETS[key]
        if jitter is not None:
            policy = policy.with_jitter(jitter)
    elif key in _PARAMETERS:
        if extra := given - _PARAMETERS[key]:
            options = ", ".join(_OPTION[g] for g in sorted(extra))
            raise HookscopeError(f"{options}: not a parameter of the {key} policy")
        policy = _formula(key, attempts, base_s, factor, max_delay_s, jitter or NO_JITTER)
    else:
        raise HookscopeError(f"unknown policy {name!r}; choose one of {', '.join(policy_names())}")
    return policy if timeout_s is None else policy.with_timeout(timeout_s)


def _formula(
    key: str,
    attempts: int | None,
    base_s: float | None,
    factor: float | None,
    max_delay_s: float | None,
    jitter: Jitter,
) -> Policy:
    n = DEFAULT_ATTEMPTS if attempts is None else attempts
    base = DEFAULT_BASE_S if base_s is None else base_s
    if key == "fixed":
        return fixed(n, base, jitter)
    cap = max(DEFAULT_MAX_DELAY_S, base) if max_delay_s is None else max_delay_s
    if key == "linear":
        return linear(n, base, cap, jitter)
    return exponential(n, base, DEFAULT_FACTOR if factor is None else factor, cap, jitter)
