"""The store's feed, brought to the GUI thread.

The feed speaks on the store's writer thread, where no Qt object may be touched. The bridge
only queues events there and emits a signal; Qt delivers it to the GUI thread (queued
connection), where the events are handed on in one go.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject, Signal, Slot

from hookscope.core.events import Event, EventFeed

__all__ = ["FeedBridge"]


class FeedBridge(QObject):
    events_ready: ClassVar[Signal] = Signal(list)
    _wake: ClassVar[Signal] = Signal()

    def __init__(self, feed: EventFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: deque[Event] = deque()
        self._scheduled = False
        self._wake.connect(self._drain)
        self._unsubscribe: Callable[[], None] | None = feed.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:  # writer thread
        self._events.append(event)
        if not self._scheduled:
            self._scheduled = True
            self._wake.emit()

    @Slot()
    def _drain(self) -> None:  # GUI thread
        self._scheduled = False  # before popping: a later event schedules a new drain
        batch: list[Event] = []
        while self._events:
            batch.append(self._events.popleft())
        if batch:
            self.events_ready.emit(batch)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
