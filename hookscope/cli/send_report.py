"""`hookscope send`, part three: what each attempt got, for people (stderr) and for scripts
(`--json` on stdout)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hookscope.cli.send_compose import Composed
    from hookscope.core.retry import Policy
    from hookscope.core.send.sender import SendResult

__all__ = ["AttemptRecord", "document", "failure_line", "progress_line", "status_text"]

_STOPS = {
    "exhausted": "every attempt failed",
    "gone": "410 Gone: a provider disables the endpoint",
    "aborted": "the receiver asked to stop retrying",
    "rejected": "a status this policy never retries",
    "no-retry": "the receiver asked for no retries",
    "client-error": "a 4xx this policy treats as permanent",
}


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One attempt, whichever way it was made. `at_s` is real time since the first attempt;
    `scheduled_at_s`, `delay_s` and `next_wait_s` are the policy's schedule, before any
    `--time-scale` compression (0 and None for a single send)."""

    n: int
    at_s: float
    scheduled_at_s: float
    delay_s: float
    next_wait_s: float | None
    outcome: str
    stop: str | None
    result: SendResult


def status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def answer_text(result: SendResult) -> str:
    if result.status is not None:
        return status_text(result.status)
    return result.error or "no answer"


def progress_line(record: AttemptRecord, time_scale: float | None) -> str:
    """`#2  00:00:01.004  503 Service Unavailable  2 ms  (next in 00:05:00, …)`; a single
    send (no time scale) is just `200 OK  2 ms`."""
    from hookscope.core.retry import format_duration

    line = f"{answer_text(record.result)}  {record.result.elapsed_ms:.0f} ms"
    if time_scale is None:
        return line
    line = f"#{record.n}  {format_duration(record.at_s)}  {line}"
    if record.next_wait_s is not None:
        line += f"  (next in {format_duration(record.next_wait_s)}"
        if time_scale is not None and time_scale != 1:
            line += f", {record.next_wait_s * time_scale:.3g} s at --time-scale {time_scale:g}"
        line += ")"
    return line


def failure_line(records: list[AttemptRecord], retrying: bool) -> str:
    last = records[-1]
    if not retrying:
        return f"send failed: {answer_text(last.result)}"
    count = f"{len(records)} attempt" + ("s" if len(records) != 1 else "")
    why = _STOPS.get(last.stop or "", last.stop or "")
    return f"send failed after {count} ({why}): {answer_text(last.result)}"


def document(
    composed: Composed,
    records: list[AttemptRecord],
    *,
    policy: Policy | None,
    time_scale: float | None,
    seed: int | None,
    verify_tls: bool,
    follow_redirects: bool,
) -> dict[str, object]:
    """The `--json` output: the request as composed, the policy, every attempt, the verdict."""
    request = composed.request
    signer = composed.signer
    last = records[-1] if records else None
    delivered = last is not None and last.outcome == "success"
    return {
        "request": {
            "method": request.method,
            "url": request.url,
            "headers": [list(h) for h in request.headers],
            "body_size": len(request.body),
            "template": composed.template,
            "scheme": None if signer is None else signer.scheme.name,
            "event_id": None if signer is None or not signer.scheme.signs_id else signer.msg_id,
        },
        "policy": None if policy is None else policy.describe(),
        "time_scale": time_scale,
        "seed": seed,
        "verify_tls": verify_tls,
        "follow_redirects": follow_redirects,
        "attempts": [_attempt(record) for record in records],
        "delivered": delivered,
        "stop_reason": None if last is None or delivered else last.stop,
        "status": None if last is None else last.result.status,
        "error": None if last is None or delivered else answer_text(last.result),
    }


def _attempt(record: AttemptRecord) -> dict[str, object]:
    result = record.result
    return {
        "n": record.n,
        "at_s": round(record.at_s, 6),
        "scheduled_at_s": record.scheduled_at_s,
        "delay_s": record.delay_s,
        "next_wait_s": record.next_wait_s,
        "outcome": record.outcome,
        "status": result.status,
        "error": result.error,
        "elapsed_ms": round(result.elapsed_ms, 3),
        "sent_at": result.sent_at,
        "request_headers": [list(h) for h in result.request.headers],  # as sent, signed
        "response": None
        if result.status is None
        else {
            "http_version": result.http_version,
            "headers": [list(h) for h in result.response_headers],
            "body_b64": base64.b64encode(result.response_body).decode("ascii"),
            "body_size": len(result.response_body),
        },
    }
