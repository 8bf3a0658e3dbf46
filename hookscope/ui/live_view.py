"""The CaptureView brought to life in the app: fed from the store, its work off the GUI thread.

- Feed events (the bridge brings them to the GUI thread) are prepared on a worker, event types
  and filter tests included, and applied in order on the GUI thread.
- Filter passes run on a worker; a newer query makes an older pass stop early.
- Store writes (stars, notes, held deletes, clear) run on a worker; `finish` waits for those
  still running, so a delete the user made is done before the store closes.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject, QTimer, Signal

from hookscope.core.events import Event
from hookscope.core.filters import CaptureFilter, FilterCancelledError
from hookscope.core.model import CaptureSummary
from hookscope.core.store import Store
from hookscope.core.view import CaptureView, FilterJob
from hookscope.ui.asyncqt import in_thread, spawn
from hookscope.ui.bridge import FeedBridge

__all__ = ["FIRST_PAGE", "LiveView"]

FIRST_PAGE = 500  # shown at once on start; older history follows in the background


class LiveView(QObject):
    applied: ClassVar[Signal] = Signal(list)  # feed events now reflected in the view
    filtering: ClassVar[Signal] = Signal()  # a filter pass started
    filtered: ClassVar[Signal] = Signal(int)  # a filter pass ended with this many matches
    history_loaded: ClassVar[Signal] = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.view = CaptureView(store, schedule=self._schedule, write=self.write)
        self._writes: set[asyncio.Task[object]] = set()
        self._batches: deque[list[Event]] = deque()
        self._pump: asyncio.Task[None] | None = None
        self._loaded = asyncio.Event()
        self._filter_task: asyncio.Task[None] | None = None
        self._history_task: asyncio.Task[None] | None = None
        self.bridge = FeedBridge(store.feed, self)
        self.bridge.events_ready.connect(self._queue)

    # -- loading --------------------------------------------------------------------------

    async def load(self) -> None:
        """The newest page now; the rest of the history after, in the background."""
        first, total = await in_thread(
            lambda: (self.store.summaries(limit=FIRST_PAGE), self.store.count())
        )
        self._run_filter(self.view.load_newest(first, total))
        self._loaded.set()
        if not self.view.history_ready:
            self._history_task = spawn(self._load_older(first[-1].id), name="load history")

    async def _load_older(self, before_id: int) -> None:
        older = await in_thread(
            lambda: list(reversed(self.store.summaries(before_id=before_id, limit=10**9)))
        )
        self._run_filter(self.view.add_history(older))
        self.history_loaded.emit()

    # -- the feed -------------------------------------------------------------------------

    def _queue(self, events: list[Event]) -> None:
        self._batches.append(events)
        if self._pump is None or self._pump.done():
            self._pump = spawn(self._drain(), name="view feed")

    async def _drain(self) -> None:
        await self._loaded.wait()  # events before the first page would be overwritten by it
        while self._batches:
            events: list[Event] = []  # everything queued meanwhile: one worker hop under load
            while self._batches:
                events.extend(self._batches.popleft())
            prepared = await in_thread(self.view.prepare, events)
            self.view.apply(prepared)
            self.applied.emit(events)

    # -- filtering ------------------------------------------------------------------------

    def set_filter(self, capture_filter: CaptureFilter | None) -> None:
        self._run_filter(self.view.set_filter(capture_filter))

    def undo_delete(self) -> list[CaptureSummary]:
        rows, job = self.view.undo_delete()
        self._run_filter(job)
        return rows

    def _run_filter(self, job: FilterJob | None) -> None:
        if self._filter_task is not None:
            self._filter_task.cancel()
            self._filter_task = None
        if job is not None:
            self.filtering.emit()
            self._filter_task = spawn(self._apply_filter(job), name="filter")

    async def _apply_filter(self, job: FilterJob) -> None:
        try:
            ids = await in_thread(job.run, cancel=lambda: self.view.is_stale(job))
        except FilterCancelledError:
            return
        if self.view.finish_filter(job, ids):
            self.filtered.emit(len(ids))

    # -- writing --------------------------------------------------------------------------

    def write(self, run: Callable[[], object]) -> None:
        """Run a store write on a worker (the view calls this for every write)."""
        task: asyncio.Task[object] = spawn(in_thread(run), name="store write")
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    def _schedule(self, seconds: float, callback: Callable[[], None]) -> Callable[[], None]:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(callback)
        timer.start(int(seconds * 1000))

        def cancel() -> None:
            timer.stop()
            timer.deleteLater()

        return cancel

    # -- stopping -------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop hearing the feed; what the user deleted stays deleted (written in `finish`)."""
        self.bridge.close()
        self.view.pending.commit_all()
        for task in (self._filter_task, self._history_task, self._pump):
            if task is not None:
                task.cancel()

    async def finish(self) -> None:
        """Wait for the store writes still running."""
        if self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)
