"""A retry policy: the nominal waits between attempts, a jitter mode, and how answers are judged.

A policy is either a provider's fixed table of waits (a preset) or a formula. The formulas follow
the command-line contract: the wait before attempt k (k >= 2) is

    exponential  min(max_delay, base * factor ** (k - 2))
    linear       min(max_delay, base * (k - 1))          (adds `base` each time)
    fixed        base

and `attempts` counts the first attempt."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from random import Random

from hookscope.core.errors import HookscopeError
from hookscope.core.retry.jitter import NO_JITTER, Jitter, JitterKind, jittered
from hookscope.core.retry.semantics import Semantics, StopReason

__all__ = [
    "GENERIC_SEMANTICS",
    "MAX_ATTEMPTS",
    "Policy",
    "Shape",
    "exponential",
    "fixed",
    "linear",
    "schedule",
    "table",
]

MAX_ATTEMPTS = 1000

# Formula policies judge answers as Standard Webhooks recommends (reference §5): 2xx only,
# 410 disables the endpoint, `Retry-After` is honoured, and a 15 s timeout per attempt.
GENERIC_SEMANTICS = Semantics(
    timeout_s=15.0, stop_statuses=((410, StopReason.GONE),), honours_retry_after=True
)


class Shape(StrEnum):
    TABLE = "table"
    EXPONENTIAL = "exponential"
    LINEAR = "linear"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class Policy:
    """`delays_s` are the nominal waits before attempts 2..n, so `attempts == len(delays_s) + 1`.

    `base_s` and `max_delay_s` bound decorrelated jitter; for a table they are its smallest
    positive and its largest wait. `exact` is False for a labelled approximation of a provider
    that does not publish its intervals, and `notes` says what was assumed."""

    name: str
    shape: Shape
    delays_s: tuple[float, ...]
    semantics: Semantics
    base_s: float
    max_delay_s: float
    factor: float | None = None
    jitter: Jitter = NO_JITTER
    exact: bool = True
    source: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def attempts(self) -> int:
        return len(self.delays_s) + 1

    def with_jitter(self, jitter: Jitter) -> Policy:
        return replace(self, jitter=jitter)

    def with_timeout(self, timeout_s: float) -> Policy:
        _check_seconds("timeout", timeout_s, allow_zero=False)
        return replace(self, semantics=replace(self.semantics, timeout_s=timeout_s))

    def describe(self) -> dict[str, object]:
        """Plain data for JSON output and the app."""
        return {
            "name": self.name,
            "shape": self.shape.value,
            "exact": self.exact,
            "attempts": self.attempts,
            "delays_s": list(self.delays_s),
            "base_s": self.base_s,
            "factor": self.factor,
            "max_delay_s": self.max_delay_s,
            "jitter": str(self.jitter),
            **self.semantics.describe(),
            "source": self.source,
            "notes": list(self.notes),
        }


def schedule(policy: Policy, rng: Random) -> list[float]:
    """The waits this run will sleep before attempts 2..n; the same seed gives the same list."""
    return jittered(policy.delays_s, policy.jitter, policy.base_s, policy.max_delay_s, rng)


def exponential(
    attempts: int,
    base_s: float,
    factor: float,
    max_delay_s: float,
    jitter: Jitter = NO_JITTER,
    *,
    name: str = "exponential",
    semantics: Semantics = GENERIC_SEMANTICS,
) -> Policy:
    _check_formula(attempts, base_s, max_delay_s, jitter)
    if not (math.isfinite(factor) and factor >= 1):
        raise HookscopeError(f"factor must be at least 1, got {factor:g}")
    delays: list[float] = []
    delay = base_s
    for _ in range(attempts - 1):
        delays.append(min(max_delay_s, delay))
        delay = min(max_delay_s, delay * factor)  # capped as it grows: no float overflow
    return Policy(
        name, Shape.EXPONENTIAL, tuple(delays), semantics, base_s, max_delay_s, factor, jitter
    )


def linear(
    attempts: int,
    base_s: float,
    max_delay_s: float,
    jitter: Jitter = NO_JITTER,
    *,
    name: str = "linear",
    semantics: Semantics = GENERIC_SEMANTICS,
) -> Policy:
    _check_formula(attempts, base_s, max_delay_s, jitter)
    delays = tuple(min(max_delay_s, base_s * (k - 1)) for k in range(2, attempts + 1))
    return Policy(name, Shape.LINEAR, delays, semantics, base_s, max_delay_s, None, jitter)


def fixed(
    attempts: int,
    base_s: float,
    jitter: Jitter = NO_JITTER,
    *,
    name: str = "fixed",
    semantics: Semantics = GENERIC_SEMANTICS,
) -> Policy:
    _check_formula(attempts, base_s, base_s, jitter)
    delays = (base_s,) * (attempts - 1)
    return Policy(name, Shape.FIXED, delays, semantics, base_s, base_s, None, jitter)


def table(
    name: str,
    delays_s: tuple[float, ...],
    semantics: Semantics,
    *,
    source: str,
    exact: bool = True,
    notes: tuple[str, ...] = (),
) -> Policy:
    """A provider's published list of waits."""
    delays = tuple(float(d) for d in delays_s)
    positive = [d for d in delays if d > 0]
    return Policy(
        name,
        Shape.TABLE,
        delays,
        semantics,
        base_s=min(positive, default=0.0),
        max_delay_s=max(positive, default=0.0),
        exact=exact,
        source=source,
        notes=notes,
    )


def _check_formula(attempts: int, base_s: float, max_delay_s: float, jitter: Jitter) -> None:
    if not 1 <= attempts <= MAX_ATTEMPTS:
        raise HookscopeError(f"attempts must be 1 to {MAX_ATTEMPTS}, got {attempts}")
    _check_seconds("base", base_s, allow_zero=jitter.kind is not JitterKind.DECORRELATED)
    _check_seconds("max delay", max_delay_s, allow_zero=True)
    if max_delay_s < base_s:
        raise HookscopeError(
            f"max delay ({max_delay_s:g} s) must be at least the base ({base_s:g} s)"
        )


def _check_seconds(option: str, value: float, *, allow_zero: bool) -> None:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise HookscopeError(f"{option} must be a number of seconds {bound}, got {value:g}")
