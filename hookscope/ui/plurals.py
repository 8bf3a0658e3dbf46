"""Counts in words: "1 capture", "3 captures", "1,200 matches"."""

from __future__ import annotations

__all__ = ["plural"]

_IRREGULAR = {"match": "matches", "was": "were", "is": "are", "it": "them"}


def plural(count: int, singular: str, many: str | None = None) -> str:
    """`count` and the word, in the form the count takes."""
    word = singular if count == 1 else (many or _IRREGULAR.get(singular, singular + "s"))
    return f"{count:,} {word}"
