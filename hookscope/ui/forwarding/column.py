"""Feeds the capture table's Handler column from the outbox, without blocking painting.

A cell asks for its capture's text; an id not seen yet answers "" at once and joins a batch that
one indexed query (by capture id) fills in a moment later; the model then repaints that column.
Captures whose delivery is still pending are looked at again every second."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from hookscope.core.forward.control import Forwarding
from hookscope.core.store import outbox
from hookscope.core.store.outbox import PENDING
from hookscope.ui.forwarding.status_text import handler_status_text

__all__ = ["HandlerColumn"]


class HandlerColumn(QObject):
    changed = Signal()

    def __init__(self, forwarding: Forwarding, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.forwarding = forwarding
        self._texts: dict[int, str] = {}
        self._pending: set[int] = set()  # deliveries not final: looked at again
        self._wanted: set[int] = set()
        self._batch = QTimer(self)
        self._batch.setSingleShot(True)
        self._batch.setInterval(50)
        self._batch.timeout.connect(self._load)
        self._refresh = QTimer(self)
        self._refresh.setInterval(1000)
        self._refresh.timeout.connect(self._reload_pending)
        self._refresh.start()

    def text(self, capture_id: int) -> str:
        text = self._texts.get(capture_id)
        if text is None:
            self._wanted.add(capture_id)
            if not self._batch.isActive():
                self._batch.start()
            return ""
        return text

    def forget(self) -> None:
        """Look everything up afresh (the targets changed, or a capture was forwarded again)."""
        self._wanted |= set(self._texts)
        self._texts.clear()
        self._batch.start()

    def _reload_pending(self) -> None:
        if self._pending:
            self._wanted |= self._pending
            self._load()

    def _load(self) -> None:
        wanted, self._wanted = self._wanted, set()
        if not wanted:
            return
        found = outbox.latest_by_capture(self.forwarding.store.reader(), sorted(wanted))
        paused = {t.name for t in self.forwarding.targets if self.forwarding.paused(t.name)}
        changed = False
        for capture_id in wanted:
            deliveries = found.get(capture_id, [])
            text = handler_status_text(deliveries, paused)
            if deliveries and deliveries[-1].state == PENDING:
                self._pending.add(capture_id)
            else:
                self._pending.discard(capture_id)
            if self._texts.get(capture_id) != text:
                changed = True
            self._texts[capture_id] = text
        if changed:
            self.changed.emit()
