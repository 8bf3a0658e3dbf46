"""Reading signature headers: names without regard to case, values back to wire bytes."""

from __future__ import annotations

from collections.abc import Sequence

from hookscope.core.model import header_values
from hookscope.core.signing.result import Reason

__all__ = [
    "HeaderError",
    "HeaderList",
    "only_value",
    "parse_unix_seconds",
    "wire_bytes",
]

HeaderList = Sequence[tuple[str, str]]


class HeaderError(Exception):
    """The headers cannot be checked at all: missing, malformed, or of an unknown version."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def only_value(headers: HeaderList, name: str) -> str:
    """The single value of a required header, or a `missing-header` problem."""
    values = header_values(headers, name)
    if not values or not values[0]:
        raise HeaderError(Reason.MISSING_HEADER, f"The request has no {name} header")
    return values[0]


def parse_unix_seconds(text: str, header: str) -> str:
    """A timestamp header must be whole UNIX seconds; it is returned as written, because the
    sender signed the text, not the number."""
    if not text.isascii() or not text.isdigit():
        raise HeaderError(
            Reason.MALFORMED_HEADER, f"{header} must be whole UNIX seconds, got {text!r}"
        )
    return text


def wire_bytes(text: str) -> bytes:
    """Header text back to the bytes that were signed. Captures (and the CLI) keep header values
    as latin-1 text, one character per byte; text beyond latin-1 was typed, so it is UTF-8."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")
