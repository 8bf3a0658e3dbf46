"""Durations as people read schedules: `00:00:05`, `02:35:05`, `1d 03:35:05`."""

from __future__ import annotations

__all__ = ["format_duration"]


def format_duration(seconds: float) -> str:
    """Whole seconds print as `[Nd ]HH:MM:SS`; a fraction adds milliseconds (`00:00:04.271`)."""
    millis = round(seconds * 1000)
    sign = "-" if millis < 0 else ""
    whole, ms = divmod(abs(millis), 1000)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if ms:
        text += f".{ms:03d}"
    if days:
        text = f"{days}d {text}"
    return sign + text
