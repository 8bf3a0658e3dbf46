"""Outbox writes, batched: every write asked for while one commit runs goes into the next.

Writes run on the store's writer thread, handed over without blocking (`Store.write_soon`): the
loop awaits the writer's future directly, with no worker thread in between (each one more thread
for the GIL to pass through per commit). Each caller gets a future for its own result; many
concurrent deliveries thus share one transaction, as captures share one group commit.

A write nobody waits for (an attempt's answer, a pass-through's record) lingers up to
`LINGER_S` for company: a lane delivering thousands a second then commits answers in groups
instead of one commit per answer. A write that is awaited takes the lingering ones with it, in
order. A crash in that window loses only answers: their attempts show as interrupted and their
deliveries are made again (at least once, as for a crash mid-request).
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


LINGER_S = 0.01
LINGER_MAX = 512  # lingering writes that make a commit at once


class Recorder:
    def __init__(self, store: Store, loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self._loop = loop
        self._ops: list[tuple[Write, asyncio.Future[Any]]] = []
        self._flushing: asyncio.Task[None] | None = None
        self._linger: asyncio.TimerHandle | None = None

    def write(self, run: Write) -> asyncio.Future[Any]:
        """Queue `run(db)` for the next commit (loop thread only); await the future to know it
        is durable."""
        future = self._queue(run)
        self._flush_now()
        return future

    def write_nowait(self, run: Write) -> None:
        """Queue a write nobody waits for; a failure is logged (the next start repairs the
        outbox: an unfinished attempt is marked interrupted, its delivery stays pending)."""
        self._queue(run).add_done_callback(_log_failure)
        if len(self._ops) >= LINGER_MAX:
            self._flush_now()
        elif self._flushing is None and self._linger is None:
            self._linger = self._loop.call_later(LINGER_S, self._flush_now)

    async def drain(self) -> None:
        """Return once every queued write has committed (or failed), including writes that a
        committed write's callbacks queue."""
        while self._ops or self._flushing is not None:
            self._flush_now()
            if self._flushing is not None:
                await asyncio.shield(self._flushing)
            await asyncio.sleep(0)  # the futures' callbacks run

    def _queue(self, run: Write) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = self._loop.create_future()
        self._ops.append((run, future))
        return future

    def _flush_now(self) -> None:
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        if self._flushing is None and self._ops:
            self._flushing = self._loop.create_task(self._flush())

    async def _flush(self) -> None:
        try:
            while self._ops:
                batch, self._ops = self._ops, []
                runs = [run for run, _ in batch]
                try:
                    done = self.store.write_soon(partial(_batch, runs=runs))
                    results = await asyncio.wrap_future(done, loop=self._loop)
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
