"""Jitter: randomising the waits so that events which failed together do not retry together.

Formulas from the AWS Architecture Blog, "Exponential Backoff And Jitter" (reference §4.1), with
the policy's nominal wait `d` in place of `expo(n)`:

    full          uniform(0, d)
    equal         d/2 + uniform(0, d/2)
    decorrelated  sleep = min(cap, uniform(base, sleep * 3)), sleep starting at base
    ±p %          d * uniform(1 - p, 1 + p)   (gRPC-style spread, reference §4.2)

Draws use `rng.random()` scaled exactly as `random.uniform` does (`a + (b - a) * random()`), minus
a call per draw, so a seed gives the same waits as the textbook formula would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from random import Random

from hookscope.core.errors import HookscopeError

__all__ = ["NO_JITTER", "Jitter", "JitterKind", "jittered"]


class JitterKind(StrEnum):
    NONE = "none"
    FULL = "full"
    EQUAL = "equal"
    DECORRELATED = "decorrelated"
    SPREAD = "spread"


@dataclass(frozen=True, slots=True)
class Jitter:
    kind: JitterKind = JitterKind.NONE
    spread: float = 0.0  # the p of ±p %, as a fraction; only for SPREAD

    @classmethod
    def parse(cls, text: str) -> Jitter:
        """`none`, `full`, `equal`, `decorrelated`, or a spread such as `20%` (also `±20%`)."""
        word = text.strip().lower()
        if word.endswith("%"):
            number = word.removeprefix("±").removeprefix("+-")[:-1]
            try:
                percent = float(number)
            except ValueError:
                percent = -1.0
            if not 0 < percent <= 100:
                raise HookscopeError(f"a jitter spread is 0% < p <= 100%, got {text!r}")
            return cls(JitterKind.SPREAD, percent / 100)
        try:
            kind = JitterKind(word)
        except ValueError:
            raise HookscopeError(
                f"unknown jitter {text!r}; choose none, full, equal, decorrelated or a spread "
                "such as 20%"
            ) from None
        if kind is JitterKind.SPREAD:
            raise HookscopeError("give a spread as a percentage, such as 20%")
        return cls(kind)

    def __str__(self) -> str:
        if self.kind is JitterKind.SPREAD:
            return f"±{self.spread * 100:g}%"
        return self.kind.value


NO_JITTER = Jitter()


def jittered(
    nominal: Sequence[float], jitter: Jitter, base_s: float, cap_s: float, rng: Random
) -> list[float]:
    """The waits actually slept, one per nominal wait, drawn from `rng` in order."""
    random = rng.random
    kind = jitter.kind
    if kind is JitterKind.NONE:
        return list(nominal)
    if kind is JitterKind.FULL:
        return [d * random() for d in nominal]
    if kind is JitterKind.EQUAL:
        return [d / 2 + d / 2 * random() for d in nominal]
    if kind is JitterKind.SPREAD:
        low, width = 1 - jitter.spread, 2 * jitter.spread
        return [d * (low + width * random()) for d in nominal]
    # Decorrelated jitter ignores the nominal shape: each wait grows from the one before.
    waits: list[float] = []
    sleep = base_s
    for _ in nominal:
        sleep = min(cap_s, base_s + (sleep * 3 - base_s) * random())
        waits.append(sleep)
    return waits
