"""The ranges a capture's numbers must fall in, checked when a file is imported.

The store keeps numbers as SQLite integers (64-bit signed), and the rest of hookscope assumes
what the receiver guarantees: a body size that is the body's length (or, for a request refused
without keeping its body, the size it had), an HTTP status of three digits (0: none was sent),
a time after 1970. An imported file can claim anything, so readers check it here and name the
field; their callers name the line or entry.
"""

from __future__ import annotations

import math

__all__ = [
    "MAX_INT",
    "LimitError",
    "check_body_size",
    "check_id",
    "check_milliseconds",
    "check_received_us",
    "check_status",
]

MAX_INT = 2**63 - 1  # SQLite's largest integer


class LimitError(ValueError):
    """A number out of range; the message names the field as the file spells it."""


def _whole(value: object, low: int, high: int) -> int | None:
    """`value` if it is a whole number (not a bool) from low to high, else None."""
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def check_id(value: object, field: str = "id") -> int | None:
    """An id as the file gives it: null, or a whole number the store could have assigned."""
    if value is None:
        return None
    checked = _whole(value, 0, MAX_INT)
    if checked is None:
        raise LimitError(f"'{field}' must be null or an integer 0 to {MAX_INT}, got {value!r}")
    return checked


def check_status(value: object, field: str = "response_status") -> int:
    """An HTTP status: three digits, or 0 when no answer was sent."""
    checked = _whole(value, 0, 999)
    if checked is None:
        raise LimitError(f"'{field}' must be an integer 0 to 999, got {value!r}")
    return checked


def check_body_size(value: object, body: bytes, rejected: str | None, field: str) -> int:
    """The body's length; only a refused request with no body kept may declare another."""
    size = _whole(value, 0, MAX_INT)
    if size is None:
        raise LimitError(f"'{field}' must be an integer 0 to {MAX_INT}, got {value!r}")
    if size != len(body) and (body or rejected is None):
        raise LimitError(f"'{field}' is {size} but the body holds {len(body)} bytes")
    return size


def check_received_us(value: int, field: str) -> int:
    if value < 0:
        raise LimitError(f"'{field}' is before 1970")
    if value > MAX_INT:
        raise LimitError(f"'{field}' is too far in the future")
    return value


def check_milliseconds(value: object, field: str) -> float:
    """A duration in milliseconds that the store can keep in whole microseconds."""
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not 0 <= value <= MAX_INT / 1000
    ):
        raise LimitError(f"'{field}' must be milliseconds 0 or more, got {value!r}")
    return float(value)
