"""What goes wrong with a filter: a query the user must fix, or a run the caller called off."""

from __future__ import annotations

from hookscope.core.errors import HookscopeError

__all__ = ["FilterCancelledError", "FilterError"]


class FilterError(HookscopeError):
    """A query that cannot be understood. `str(error)` is one line for the user; `position` and
    `length` (in characters of the query) mark the part to underline."""

    def __init__(self, message: str, position: int, length: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.position = max(position, 0)
        self.length = max(length, 1)


class FilterCancelledError(Exception):
    """Raised by `select_ids` when its `cancel` check says the result is no longer wanted."""
