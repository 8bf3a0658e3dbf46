"""A failure scenario: how the receiver answers attempt n made t seconds after the first.

In order of precedence: during an outage window the receiver is down (connection refused); the
first `timeout_first` attempts get no answer in time; the first `fail_first` attempts are
answered `fail_status` with `fail_headers` (a `Retry-After`, a 410, an abort header); anything
else succeeds with 200."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum

from hookscope.core.errors import HookscopeError
from hookscope.core.model import Header
from hookscope.core.retry.answers import AttemptAnswer

__all__ = ["AnswerKind", "Outage", "Scenario"]


class AnswerKind(IntEnum):
    SUCCESS = 0
    FAILURE = 1  # answered `fail_status`
    TIMEOUT = 2
    REFUSED = 3  # the receiver is down
    OVERLOADED = 4  # over the receiver's capacity: 503 (used by herd simulations)


@dataclass(frozen=True, slots=True)
class Outage:
    """The receiver is down from `start_s` (included) to `end_s` (excluded)."""

    start_s: float
    end_s: float

    @classmethod
    def parse(cls, text: str) -> Outage:
        """`START:END`, seconds after the first attempt."""
        start_text, sep, end_text = text.partition(":")
        try:
            start, end = float(start_text), float(end_text)
        except ValueError:
            start = end = math.nan
        if not sep or not (math.isfinite(start) and math.isfinite(end)):
            raise HookscopeError(f"an outage is START:END in seconds, got {text!r}")
        if not 0 <= start < end:
            raise HookscopeError(f"an outage needs 0 <= START < END, got {text!r}")
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start_s:g}:{self.end_s:g}"


@dataclass(frozen=True, slots=True)
class Scenario:
    fail_first: int = 0
    timeout_first: int = 0
    outages: tuple[Outage, ...] = ()
    fail_status: int = 503
    fail_headers: tuple[Header, ...] = ()

    def __post_init__(self) -> None:
        if self.fail_first < 0 or self.timeout_first < 0:
            raise HookscopeError("fail-first and timeout-first count attempts: 0 or more")
        if not 100 <= self.fail_status <= 599:
            raise HookscopeError(f"an HTTP status is 100 to 599, got {self.fail_status}")

    def kind(self, n: int, at_s: float) -> AnswerKind:
        for outage in self.outages:
            if outage.start_s <= at_s < outage.end_s:
                return AnswerKind.REFUSED
        if n <= self.timeout_first:
            return AnswerKind.TIMEOUT
        if n <= self.fail_first:
            return AnswerKind.FAILURE
        return AnswerKind.SUCCESS

    def answer_of(self, kind: AnswerKind, timeout_s: float) -> AttemptAnswer:
        if kind is AnswerKind.SUCCESS:
            return AttemptAnswer(200)
        if kind is AnswerKind.FAILURE:
            return AttemptAnswer(self.fail_status, self.fail_headers)
        if kind is AnswerKind.TIMEOUT:
            return AttemptAnswer.timeout(timeout_s)
        if kind is AnswerKind.OVERLOADED:
            return AttemptAnswer(503)
        return AttemptAnswer.refused()

    def answer(self, n: int, at_s: float, timeout_s: float) -> AttemptAnswer:
        return self.answer_of(self.kind(n, at_s), timeout_s)

    def describe(self) -> dict[str, object]:
        return {
            "fail_first": self.fail_first,
            "timeout_first": self.timeout_first,
            "outages": [[o.start_s, o.end_s] for o in self.outages],
            "fail_status": self.fail_status,
            "fail_headers": [list(h) for h in self.fail_headers],
        }
