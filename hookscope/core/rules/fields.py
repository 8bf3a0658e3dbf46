"""Typed reads of one JSON field in a rules file (fault rules and forward targets alike): the
value, or a TypeError/ValueError whose message the caller puts after the field's name."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TypeVar

__all__ = ["as_choice", "as_flag", "as_number", "as_text", "as_whole", "shown"]

E = TypeVar("E", bound=StrEnum)


def as_text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {shown(value)}")
    return value


def as_flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {shown(value)}")
    return value


def as_whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {shown(value)}")
    return value


def as_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {shown(value)}")
    return float(value)


def as_choice(kind: type[E], value: object) -> E:
    try:
        return kind(as_text(value))
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise ValueError(f"expected one of {choices}, got {value!r}") from None


def shown(value: object) -> str:
    """A value as the file had it, cut short for a one-line message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."
