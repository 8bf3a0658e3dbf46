"""Durations as a person types and reads them in the simulator: `90`, `5 min`, `1h30m`,
`00:35:05`, `1d 03:35:05` in; `5 min 5 s` out (axis labels, short and exact to the second)."""

from __future__ import annotations

import math
import re

from hookscope.core.errors import HookscopeError

__all__ = ["parse_duration", "short_duration"]

_UNITS = {
    "ms": 0.001,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}  # fmt: skip
_UNIT_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
# What format_duration prints: `[Nd ]HH:MM:SS[.fff]`; `MM:SS` is accepted too.
_CLOCK = re.compile(r"^(?:(\d+)\s*d\s+)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$")


def parse_duration(text: str) -> float:
    """Seconds from plain seconds, unit parts (`1h 30m`) or a clock (`01:30:00`)."""
    word = text.strip().lower()
    if not word:
        raise HookscopeError("a duration is needed, such as 90, 5 min or 01:30:00")
    try:
        value = float(word)
    except ValueError:
        value = _parse_clock(word) if ":" in word else _parse_units(word)
    if not math.isfinite(value) or value < 0:
        raise HookscopeError(f"a duration is 0 or more seconds, got {text!r}")
    return value


def _parse_clock(word: str) -> float:
    match = _CLOCK.match(word)
    if match is None:
        raise HookscopeError(f"not a duration: {word!r}; write it as HH:MM:SS or 1d 02:00:00")
    days, hours, minutes, seconds = match.groups()
    if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        raise HookscopeError(f"not a duration: {word!r}; minutes and seconds go up to 59")
    return (
        int(days or 0) * 86400.0 + int(hours or 0) * 3600.0 + int(minutes) * 60.0 + float(seconds)
    )


def _parse_units(word: str) -> float:
    total, position = 0.0, 0
    while position < len(word):
        match = _UNIT_PART.match(word, position)
        if match is None or match.group(2) not in _UNITS:
            raise HookscopeError(f"not a duration: {word!r}; try 90, 5 min, 1h 30m or 01:30:00")
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    return total


def short_duration(seconds: float) -> str:
    """The two largest units that are not zero: `0`, `250 ms`, `45 s`, `5 min 5 s`, `2 h`,
    `1 d 3 h`. Rounded to the millisecond, so axis values such as 300.0000001 read `5 min`."""
    millis = round(abs(seconds) * 1000)
    sign = "-" if seconds < 0 and millis else ""
    if millis == 0:
        return "0"
    if millis < 1000:
        return f"{sign}{millis} ms"
    if millis % 1000 and millis < 60_000:
        return f"{sign}{millis / 1000:g} s"
    whole = millis // 1000
    parts = []
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min"), (1, "s")):
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count} {unit}")
        elif parts:
            break  # `1 d 0 h 5 min` would read worse than `1 d`
    return sign + " ".join(parts[:2])
