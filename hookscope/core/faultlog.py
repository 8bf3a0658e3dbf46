"""Faults that hookscope contains (a failed commit, a broken subscriber, a body that cannot be
parsed) are logged in one line each, once: a flood of tracebacks would bury the one line a user
needs, and a full disk fails every request until space returns."""

from __future__ import annotations

import logging
import threading

__all__ = ["Problems", "describe", "log", "log_once"]

log = logging.getLogger("hookscope")
_MAX_REMEMBERED = 1000  # distinct lines kept to suppress repeats (bounded: ids make lines unique)
_seen: set[str] = set()
_seen_lock = threading.Lock()


def describe(exc: BaseException) -> str:
    """`Type: message`, on one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def log_once(line: str) -> None:
    """Log `line` as an error unless this very line was logged before."""
    with _seen_lock:
        if line in _seen:
            return
        if len(_seen) >= _MAX_REMEMBERED:
            _seen.clear()
        _seen.add(line)
    log.error("hookscope: %s", line)


class Problems:
    """One recurring kind of failure: logs when it starts or changes, and when it ends."""

    def __init__(self, recovery: str) -> None:
        self._recovery = recovery  # what to log once it works again
        self._current: str | None = None

    def failed(self, what: str, exc: BaseException) -> None:
        line = f"{what}: {describe(exc)}"
        if line != self._current:
            self._current = line
            log.error("hookscope: %s", line)

    def recovered(self) -> None:
        if self._current is not None:
            log.warning("hookscope: %s", self._recovery)
            self._current = None
