"""Helpers for reading schedules the way the reference writes them (`1d 03:35:05`)."""

from __future__ import annotations

import itertools

from hookscope.core.retry import Policy


def seconds(text: str) -> float:
    """`[Nd ]HH:MM:SS` as written in reference/signing-and-retries.md; hours may exceed 23."""
    days = 0
    if "d " in text:
        day_text, text = text.split("d ")
        days = int(day_text)
    hours, minutes, secs = (int(part) for part in text.split(":"))
    return days * 86400 + hours * 3600 + minutes * 60 + secs


def cumulative(policy: Policy) -> list[float]:
    """When each attempt happens if every one fails at once (the reference's timelines)."""
    return list(itertools.accumulate(policy.delays_s, initial=0.0))
