"""The composer's History tab: the latest sends, newest first; activating one reopens it."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from hookscope.core.model import format_timestamp
from hookscope.core.store import Store
from hookscope.ui.asyncqt import in_thread, spawn

__all__ = ["SendHistory"]

SHOWN = 200


class SendHistory(QListWidget):
    reopened: ClassVar[Signal] = Signal(object)  # the StoredSend of an activated row

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("sendHistory")
        self.itemActivated.connect(lambda item: spawn(self.reopen(item), name="reopen send"))

    async def refresh(self) -> None:
        """Read the latest sends on a worker, then show them."""
        rows = await in_thread(self.store.send_summaries, limit=SHOWN)
        self.clear()
        for row in rows:
            outcome = str(row.status) if row.status is not None else f"✗ {row.error}"
            signed = f"  [{row.scheme}]" if row.scheme else ""
            text = (
                f"{format_timestamp(row.sent_us)[11:19]}  {row.method} {row.url}  →  "
                f"{outcome}  ({row.elapsed_ms:.0f} ms){signed}"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.addItem(item)

    async def reopen(self, item: QListWidgetItem) -> None:
        """Read the send, bodies included, on a worker; then say it was reopened."""
        stored = await in_thread(self.store.get_send, int(item.data(Qt.ItemDataRole.UserRole)))
        if stored is not None:
            self.reopened.emit(stored)
