"""asyncio inside the Qt app: tasks that are not garbage-collected mid-flight, and work that
runs off the GUI thread and comes back as an awaitable."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["in_thread", "shutdown_workers", "spawn"]

T = TypeVar("T")
_tasks: set[asyncio.Task[Any]] = set()
# Our own workers, not the loop's default executor: qasync waits for that one on close.
_workers: ThreadPoolExecutor | None = None
log = logging.getLogger(__name__)


def spawn(coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Task[T]:
    """Start a task and keep a reference until it ends; errors are logged, not lost."""
    task = asyncio.ensure_future(coro)  # noqa: TID251 (the one place: the set below holds it)
    if name:
        task.set_name(name)
    _tasks.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s failed", task.get_name(), exc_info=task.exception())


async def in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` on a worker thread and await its result on the GUI loop."""
    global _workers
    if _workers is None:
        _workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hookscope-ui")
    return await asyncio.wrap_future(_workers.submit(fn, *args, **kwargs))


def shutdown_workers() -> None:
    global _workers
    for task in list(_tasks):
        task.cancel()
    if _workers is not None:
        _workers.shutdown(wait=False, cancel_futures=True)
        _workers = None
    # The large-body worker process too: quitting must not wait for a 50 MB parse.
    from hookscope.core.bodywork import body_worker

    body_worker.shutdown()
