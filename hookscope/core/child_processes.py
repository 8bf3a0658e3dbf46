"""How hookscope starts its own worker processes (the app's receiver, the body worker)."""

from __future__ import annotations

import multiprocessing
from typing import Any

__all__ = ["child_context"]


def child_context() -> Any:
    """A multiprocessing context that never forks the calling process (its threads, Qt's
    state): forkserver where there is one, else spawn. Typed Any: the stubs give the concrete
    contexts no common type with `Process` and `Pipe`."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
