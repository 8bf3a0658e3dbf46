"""Child processes that cannot outlive hookscope.

Each tunnel tool runs in its own process group (so stopping it reaches anything it started)
and, on Linux, with PR_SET_PDEATHSIG: the kernel kills it when the thread that started it
dies, which covers hookscope being killed with SIGKILL, when no cleanup code runs at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable

__all__ = ["spawn", "terminate"]

_PR_SET_PDEATHSIG = 1
# Loaded before any fork: the child must not dlopen between fork and exec.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _die_with(parent: int) -> Callable[[], None]:
    def preexec() -> None:  # runs in the child, between fork and exec
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)

    return preexec


def spawn(argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `argv` with stdout and stderr merged into one text pipe, stdin closed."""
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
        env=env,
        start_new_session=True,  # its own process group
        preexec_fn=_die_with(os.getpid()),
    )


def terminate(proc: subprocess.Popen[str], grace: float = 3.0) -> int:
    """SIGTERM to the whole group, SIGKILL after `grace` seconds; returns the exit status."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            return proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    return proc.wait()
