"""One event's delivery as a state machine: after each attempt, given its answer, decide the
wait before the next attempt or that the delivery is over.

It knows nothing of clocks or scenarios. The simulator feeds it answers made up by a scenario; a
live run feeds it real HTTP answers and sleeps the waits it returns (compressed if it likes)."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import NamedTuple

from hookscope.core.retry.answers import AttemptAnswer
from hookscope.core.retry.policy import Policy, schedule
from hookscope.core.retry.semantics import Outcome, StopReason, Verdict, judge

__all__ = ["Decision", "Delivery"]


class Decision(NamedTuple):
    """What follows an attempt: `wait_s` before the next one, or the end (`wait_s is None`),
    delivered or stopped for `stop`. A named tuple: cheap enough to make for every attempt."""

    verdict: Verdict
    wait_s: float | None
    stop: StopReason | None = None

    @property
    def delivered(self) -> bool:
        return self.verdict.outcome is Outcome.SUCCESS

    @property
    def done(self) -> bool:
        return self.wait_s is None


_SUCCESS = Outcome.SUCCESS


class Delivery:
    """`waits` is the run's drawn schedule (see `start`); `Retry-After`, when the policy honours
    it, replaces the drawn wait (it "wins", as the engineering guide puts it).

    A live run drives it like this (compressing time as it likes):

        delivery = Delivery.start(policy, random.Random(seed))
        while True:
            answer = ...  # AttemptAnswer(status, headers, elapsed_s=..., received_at=now),
                          # AttemptAnswer.timeout(policy.semantics.timeout_s) or .refused()
            decision = delivery.after(answer)
            if decision.done:  # decision.delivered, or decision.stop says why not
                break
            await asyncio.sleep(decision.wait_s / compression)
    """

    __slots__ = ("_attempts", "_waits", "attempts_made", "delivered", "done", "policy", "stop")

    def __init__(self, policy: Policy, waits: Sequence[float]) -> None:
        if len(waits) != policy.attempts - 1:
            raise ValueError("a delivery needs one wait per retry of its policy")
        self.policy = policy
        self._waits = waits
        self._attempts = policy.attempts
        self.attempts_made = 0
        self.done = False
        self.delivered = False
        self.stop: StopReason | None = None

    @classmethod
    def start(cls, policy: Policy, rng: Random) -> Delivery:
        return cls(policy, schedule(policy, rng))

    def after(self, answer: AttemptAnswer) -> Decision:
        return self.after_verdict(judge(self.policy.semantics, answer))

    def after_verdict(self, verdict: Verdict) -> Decision:
        return Decision(verdict, self.next_wait(verdict), self.stop)

    def next_wait(self, verdict: Verdict) -> float | None:
        """The wait before the next attempt, or None when the delivery is over: then either
        `delivered` or `stop` says how it ended. (`after_verdict` without the allocation.)"""
        if self.done:
            raise RuntimeError("the delivery is over; no attempt should have been made")
        n = self.attempts_made = self.attempts_made + 1
        if verdict.outcome is _SUCCESS:
            self.done = self.delivered = True
            return None
        stop = verdict.stop
        if stop is None and n >= self._attempts:
            stop = StopReason.EXHAUSTED
        if stop is not None:
            self.done = True
            self.stop = stop
            return None
        wait = verdict.retry_after_s
        return self._waits[n - 1] if wait is None else wait
