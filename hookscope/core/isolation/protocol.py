"""What the app and its receiver process say to each other over their pipe.

Every message is a tuple whose first item names it. The parent asks (`Ask`) and the child
answers each ask once (`reply`); the child also tells, unasked, what it committed, what
forwarding did and what it logged. Errors cross as text with their kind, because a
`PortInUseError` does not survive pickling with its fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hookscope.core.errors import HookscopeError, PortInUseError

__all__ = [
    "ADDED",
    "ATTEMPT",
    "LOG",
    "READY",
    "REPLY",
    "ChildOptions",
    "error_from",
    "error_to",
]

# child -> parent
READY = "ready"  # (READY, pid): the store is open and commands are read
REPLY = "reply"  # (REPLY, ask id, ok, value or error_to(...))
ADDED = "added"  # (ADDED, newest id committed, the rules' answered counts or None)
ATTEMPT = "attempt"  # (ATTEMPT, AttemptEvent)
LOG = "log"  # (LOG, logger name, level, text)

# parent -> child: (name, ask id, *arguments); a listening socket follows "start" on the pipe
START = "start"  # slot, host, max_body, GuardSettings or None, SignatureSettings or None
STOP = "stop"  # slot
GUARDS = "guards"  # slot, GuardSettings (its secret fixed) or None, SignatureSettings or None
RULES = "rules"  # tuple of Rule, seconds since they were loaded, their answered counts
RESET_RULES = "reset_rules"
TARGETS = "targets"  # tuple of ForwardTarget
PAUSE = "pause"  # target name, paused
FORWARD_AGAIN = "forward_again"  # capture ids -> deliveries queued
PING = "ping"  # answered once every receiver's event loop has turned; else STUCK (host.py)
STUCK = "stuck"  # in a PING's error: the child answers, but a receiver of it does not
CLOSE = "close"


@dataclass(frozen=True, slots=True)
class ChildOptions:
    """How the child answers and receives, as `listen`'s options would set it."""

    db_path: str
    durable: bool = False
    status: int = 200
    delay_s: float = 0.0
    fail_first: int = 0
    shutdown_timeout: float = 1.0


def error_to(exc: BaseException) -> tuple[Any, ...]:
    if isinstance(exc, PortInUseError):
        return ("port_in_use", exc.host, exc.port, exc.suggestion)
    if isinstance(exc, HookscopeError):
        return ("hookscope", str(exc))
    return ("internal", f"{type(exc).__name__}: {exc}")


def error_from(value: tuple[Any, ...]) -> HookscopeError:
    kind = value[0]
    if kind == "port_in_use":
        return PortInUseError(value[1], value[2], value[3])
    if kind == "hookscope":
        return HookscopeError(value[1])
    return HookscopeError(f"the receiver process failed: {value[1]}")
