"""What one delivery attempt got back, as a live sender sees it: a status and headers, no answer
at all (connection refused or reset), or no answer in time (a timeout).

The simulator builds these from a scenario; a live run builds them from real HTTP responses. Both
feed the same `Delivery` state machine, so a schedule behaves identically in both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from hookscope.core.model import Header

__all__ = ["AttemptAnswer", "parse_retry_after"]


@dataclass(frozen=True, slots=True)
class AttemptAnswer:
    """The receiver's answer to one attempt.

    `status` is None when no HTTP answer arrived (refused, reset, or timed out). `elapsed_s` is how
    long the attempt took before its fate was known: a sender starts the next wait only then.
    `received_at` anchors a `Retry-After` given as an HTTP date (else the `Date` header does)."""

    status: int | None
    headers: tuple[Header, ...] = ()
    timed_out: bool = False
    elapsed_s: float = 0.0
    received_at: datetime | None = None

    @classmethod
    def refused(cls) -> AttemptAnswer:
        return cls(status=None)

    @classmethod
    def timeout(cls, after_s: float) -> AttemptAnswer:
        return cls(status=None, timed_out=True, elapsed_s=after_s)


def parse_retry_after(value: str, now: datetime | None) -> float | None:
    """Seconds to wait from a `Retry-After` value: delta-seconds or an HTTP date (RFC 9110 §10.2.3).

    An HTTP date needs `now` to be measured against; without one, or for a value that is neither
    form, the header is ignored (None) as a sender would ignore a malformed hint."""
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    if now is None:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None or now.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())
