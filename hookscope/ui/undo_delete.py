"""Deleting captures, undoably: the rows leave the window at once, the store forgets them only
when the undo window has passed (or the app quits).

The store keeps no tombstones and gives every added capture a new id, so re-adding deleted
captures would change their ids. Holding the delete back keeps ids, stars and notes exactly as
they were, and the store never holds a capture twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from hookscope.core.model import CaptureSummary
from hookscope.ui.plurals import plural
from hookscope.ui.widgets.count_label import CountLabel

__all__ = ["UNDO_SECONDS", "UndoDelete"]

UNDO_SECONDS = 8


@dataclass
class _Batch:
    rows: list[CaptureSummary]
    timer: QTimer = field(repr=False)


class UndoDelete(QWidget):
    """The status bar's "N captures deleted [Undo]", and the deletes it holds back."""

    restored: ClassVar[Signal] = Signal(list)  # the CaptureSummary rows an undo brought back

    def __init__(
        self,
        delete: Callable[[list[int]], object],
        seconds: float = UNDO_SECONDS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._delete = delete
        self._seconds = seconds
        self._batches: list[_Batch] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = CountLabel("")
        self.button = QPushButton("Undo")
        self.button.setObjectName("undoDelete")
        self.button.setToolTip("Bring the deleted captures back (Ctrl+Z in the capture table)")
        self.button.clicked.connect(self.undo)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.hide()

    def hidden_ids(self) -> set[int]:
        """Captures deleted in the window but still in the store, waiting for their undo."""
        return {row.id for batch in self._batches for row in batch.rows}

    def hold(self, rows: Iterable[CaptureSummary]) -> str:
        """Start the undo window for `rows`; the message that says what was deleted."""
        batch = _Batch(list(rows), QTimer(self))
        batch.timer.setSingleShot(True)
        batch.timer.setInterval(int(self._seconds * 1000))
        batch.timer.timeout.connect(lambda: self._commit(batch))
        batch.timer.start()
        self._batches.append(batch)
        message = plural(len(batch.rows), "capture") + " deleted"
        self.label.setText(message)
        self.show()
        return message

    def undo(self) -> list[CaptureSummary]:
        """Bring back the newest batch still held; [] if there is none."""
        if not self._batches:
            return []
        batch = self._batches.pop()
        batch.timer.stop()
        batch.timer.deleteLater()
        self._update()
        self.restored.emit(batch.rows)
        return batch.rows

    def commit_all(self) -> None:
        """Delete everything held now (the app quits, or a test does not wait)."""
        for batch in list(self._batches):
            self._commit(batch)

    def _commit(self, batch: _Batch) -> None:
        if batch not in self._batches:
            return
        self._batches.remove(batch)
        batch.timer.stop()
        batch.timer.deleteLater()
        self._delete([row.id for row in batch.rows])
        self._update()

    def _update(self) -> None:
        if not self._batches:
            self.hide()
            return
        self.label.setText(plural(len(self._batches[-1].rows), "capture") + " deleted")
