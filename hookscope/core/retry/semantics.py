"""How a sender judges an answer: success, a failure worth retrying, or a reason to stop.

Rules from reference/signing-and-retries.md §5: only the listed success statuses count (2xx unless
a provider is narrower), so redirects fail (senders do not follow them); some statuses or headers
stop retrying for good; some senders honour `Retry-After`."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import StrEnum

from hookscope.core.model import first_header
from hookscope.core.retry.answers import AttemptAnswer, parse_retry_after

__all__ = ["Outcome", "Semantics", "StopHeader", "StopReason", "Verdict", "judge"]


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    TIMEOUT = "timeout"


class StopReason(StrEnum):
    """Why a sender stopped before delivering."""

    EXHAUSTED = "exhausted"  # every attempt of the schedule failed
    GONE = "gone"  # 410: the endpoint is gone, disable it (Standard Webhooks)
    ABORTED = "aborted"  # the receiver asked not to retry (Svix's abort header)
    REJECTED = "rejected"  # a status the provider never retries (Mailgun's 406)
    NO_RETRY = "no-retry"  # Slack's `X-Slack-No-Retry: 1`
    CLIENT_ERROR = "client-error"  # a 4xx the provider treats as permanent


@dataclass(frozen=True, slots=True)
class StopHeader:
    """A response header whose value (compared case-insensitively) ends the retries."""

    name: str
    value: str
    reason: StopReason


@dataclass(frozen=True, slots=True)
class Semantics:
    timeout_s: float
    success_statuses: frozenset[int] | None = None  # None: any 2xx
    stop_statuses: tuple[tuple[int, StopReason], ...] = ()
    stop_headers: tuple[StopHeader, ...] = ()
    client_errors_final: bool = False  # 4xx other than 408 and 429 stop the retries
    honours_retry_after: bool = False

    def is_success(self, status: int) -> bool:
        if self.success_statuses is None:
            return 200 <= status <= 299
        return status in self.success_statuses

    def describe(self) -> dict[str, object]:
        success = "2xx" if self.success_statuses is None else sorted(self.success_statuses)
        stops: list[str] = [f"{code} {reason}" for code, reason in self.stop_statuses]
        stops += [f"{h.name}: {h.value} ({h.reason})" for h in self.stop_headers]
        if self.client_errors_final:
            stops.append(f"other 4xx except 408, 429 ({StopReason.CLIENT_ERROR})")
        return {
            "success": success,
            "timeout_s": float(self.timeout_s),
            "stops_on": stops,
            "honours_retry_after": self.honours_retry_after,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    status: int | None = None
    stop: StopReason | None = None  # set only on a failure that ends the retries
    retry_after_s: float | None = None  # set only when the sender honours it


def judge(semantics: Semantics, answer: AttemptAnswer) -> Verdict:
    if answer.timed_out:
        return Verdict(Outcome.TIMEOUT)
    status = answer.status
    if status is None:
        return Verdict(Outcome.FAILURE)
    if semantics.is_success(status):
        return Verdict(Outcome.SUCCESS, status)
    return Verdict(
        Outcome.FAILURE,
        status,
        _stop_reason(semantics, answer, status),
        _retry_after(semantics, answer),
    )


def _stop_reason(semantics: Semantics, answer: AttemptAnswer, status: int) -> StopReason | None:
    for code, reason in semantics.stop_statuses:
        if status == code:
            return reason
    for rule in semantics.stop_headers:
        value = first_header(answer.headers, rule.name)
        if value is not None and value.strip().lower() == rule.value.lower():
            return rule.reason
    if semantics.client_errors_final and 400 <= status <= 499 and status not in (408, 429):
        return StopReason.CLIENT_ERROR
    return None


def _retry_after(semantics: Semantics, answer: AttemptAnswer) -> float | None:
    if not semantics.honours_retry_after:
        return None
    value = first_header(answer.headers, "Retry-After")
    if value is None:
        return None
    now = answer.received_at
    if now is None and (date := first_header(answer.headers, "Date")) is not None:
        try:
            now = parsedate_to_datetime(date)
        except (TypeError, ValueError):
            now = None
    return parse_retry_after(value, now)
