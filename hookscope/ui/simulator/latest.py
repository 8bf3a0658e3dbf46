"""Off-thread work where only the latest request matters, such as a herd recomputed while the
user is still dragging a value.

At most one job runs on a worker thread at a time. A new request replaces any request still
waiting, and a result that a newer request has overtaken is dropped instead of shown. A thread
cannot be interrupted, so a stale job that already started runs to its end; the next one starts
right after it, with the newest parameters."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from hookscope.core.errors import HookscopeError
from hookscope.ui.asyncqt import in_thread, spawn

__all__ = ["LatestOnly"]

T = TypeVar("T")


class LatestOnly(Generic[T]):
    def __init__(
        self,
        on_result: Callable[[T], None],
        on_error: Callable[[str], None],
        name: str = "latest-only job",
    ) -> None:
        self._on_result = on_result
        self._on_error = on_error
        self._name = name
        self._generation = 0
        self._waiting: tuple[int, Callable[..., T], tuple[Any, ...]] | None = None
        self._task: asyncio.Task[None] | None = None
        self.started = 0  # jobs that ran (or are running): a measure of skipped stale work

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def submit(self, fn: Callable[..., T], *args: Any) -> None:
        """Needs the app's running event loop (qasync)."""
        self._generation += 1
        self._waiting = (self._generation, fn, args)
        if not self.busy:
            self._task = spawn(self._drain(), name=self._name)

    def cancel(self) -> None:
        """Forget the waiting request and drop the running job's result."""
        self._generation += 1
        self._waiting = None
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _drain(self) -> None:
        while self._waiting is not None:
            generation, fn, args = self._waiting
            self._waiting = None
            self.started += 1
            try:
                result = await in_thread(fn, *args)
            except HookscopeError as exc:  # a limit the user can fix, e.g. too many events
                if generation == self._generation:
                    self._on_error(str(exc))
                continue
            if generation == self._generation:
                self._on_result(result)
