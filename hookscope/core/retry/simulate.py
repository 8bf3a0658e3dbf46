"""One event through a policy and a failure scenario: the timeline of its attempts."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from hookscope.core.retry.delivery import Delivery
from hookscope.core.retry.policy import Policy
from hookscope.core.retry.scenario import Scenario
from hookscope.core.retry.semantics import Outcome, StopReason

__all__ = ["Attempt", "Timeline", "simulate"]


@dataclass(frozen=True, slots=True)
class Attempt:
    """`at_s` counts from the first attempt; `delay_s` is the wait before this attempt, which
    starts once the previous attempt's fate is known (after `elapsed_s`, e.g. its timeout)."""

    n: int
    at_s: float
    delay_s: float
    outcome: Outcome
    status: int | None
    elapsed_s: float = 0.0

    def describe(self) -> dict[str, object]:
        return {
            "n": self.n,
            "at_s": _clean(self.at_s),
            "delay_s": _clean(self.delay_s),
            "outcome": self.outcome.value,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    attempts: tuple[Attempt, ...]
    delivered_at_s: float | None
    gave_up_at_s: float | None
    stop: StopReason | None

    @property
    def delivered(self) -> bool:
        return self.delivered_at_s is not None


def simulate(policy: Policy, scenario: Scenario, rng: Random) -> Timeline:
    delivery = Delivery.start(policy, rng)
    timeout_s = policy.semantics.timeout_s
    attempts: list[Attempt] = []
    at_s = delay_s = 0.0
    while True:
        n = delivery.attempts_made + 1
        answer = scenario.answer(n, at_s, timeout_s)
        decision = delivery.after(answer)
        outcome = decision.verdict.outcome
        attempts.append(Attempt(n, at_s, delay_s, outcome, answer.status, answer.elapsed_s))
        if decision.wait_s is None:
            break
        delay_s = decision.wait_s
        at_s += answer.elapsed_s + delay_s
    if decision.delivered:
        return Timeline(tuple(attempts), at_s, None, None)
    return Timeline(tuple(attempts), None, at_s + answer.elapsed_s, decision.stop)


def _clean(seconds: float) -> float:
    """Microsecond precision: enough for any schedule, and no 0.30000000000000004 in output."""
    return round(seconds, 6)
