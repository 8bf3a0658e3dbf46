"""Outbox writes, batched: every write asked for while one commit runs goes into the next.

Writes run on the store's writer thread (`Store.write`), reached from a worker thread so that the
forwarding loop never blocks on a commit. Each caller gets a future for its own result; many
concurrent deliveries thus share one transaction, as captures share one group commit.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

from hookscope.core.store import Store

__all__ = ["Recorder", "Write"]

Write = Callable[[sqlite3.Connection], Any]
log = logging.getLogger(__name__)


class Recorder:
    def __init__(self, store: Store, loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self._loop = loop
        self._ops: list[tuple[Write, asyncio.Future[Any]]] = []
        self._flushing: asyncio.Task[None] | None = None

    def write(self, run: Write) -> asyncio.Future[Any]:
        """Queue `run(db)` for the next commit (loop thread only); await the future to know it
        is durable."""
        future: asyncio.Future[Any] = self._loop.create_future()
        self._ops.append((run, future))
        if self._flushing is None:
            self._flushing = self._loop.create_task(self._flush())
        return future

    def write_nowait(self, run: Write) -> None:
        """Queue a write nobody waits for; a failure is logged (the next start repairs the
        outbox: an unfinished attempt is marked interrupted, its delivery stays pending)."""
        self.write(run).add_done_callback(_log_failure)

    async def drain(self) -> None:
        """Return once every queued write has committed (or failed)."""
        while self._flushing is not None:
            await asyncio.shield(self._flushing)

    async def _flush(self) -> None:
        try:
            while self._ops:
                batch, self._ops = self._ops, []
                runs = [run for run, _ in batch]
                try:
                    results = await asyncio.to_thread(self.store.write, partial(_batch, runs=runs))
                except Exception as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for (_, future), result in zip(batch, results, strict=True):
                        if not future.done():
                            future.set_result(result)
        finally:
            self._flushing = None


def _batch(db: sqlite3.Connection, *, runs: list[Write]) -> list[Any]:
    db.execute("BEGIN")
    results = [run(db) for run in runs]
    db.execute("COMMIT")
    return results


def _log_failure(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        log.error("could not record a forwarding attempt: %s", exc)
