"""Errors that reach users as one clear line: the environment or the input is at fault, not
hookscope. Anything else is a bug and is allowed to raise."""

from __future__ import annotations

__all__ = ["HookscopeError", "PortInUseError", "StoreError"]


class HookscopeError(Exception):
    """A problem the user can fix; `str(error)` is the message to show."""


class StoreError(HookscopeError):
    """The capture store cannot be opened or written."""


class PortInUseError(HookscopeError):
    def __init__(self, host: str, port: int, suggestion: int | None) -> None:
        self.host = host
        self.port = port
        self.suggestion = suggestion
        hint = f"; try --port {suggestion}" if suggestion else "; try another --port"
        super().__init__(f"port {port} on {host} is already in use{hint} (or --port 0 for any)")
