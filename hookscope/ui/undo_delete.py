"""The status bar's "N captures deleted [Undo]": a face for the view's held deletes
(hookscope.core.view.pending keeps them and decides when they are done)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from hookscope.core.model import CaptureSummary
from hookscope.core.view import PendingDeletes
from hookscope.ui.plurals import plural
from hookscope.ui.widgets.count_label import CountLabel

__all__ = ["UndoDelete"]


class UndoDelete(QWidget):
    restored: ClassVar[Signal] = Signal(list)  # the CaptureSummary rows an undo brought back

    def __init__(
        self,
        pending: PendingDeletes,
        undo: Callable[[], list[CaptureSummary]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pending = pending
        self._undo = undo
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = CountLabel("")
        self.button = QPushButton("Undo")
        self.button.setObjectName("undoDelete")
        self.button.setToolTip("Bring the deleted captures back (Ctrl+Z in the capture table)")
        self.button.clicked.connect(self.undo)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        pending.on_change = self._update
        self.hide()

    def hidden_ids(self) -> set[int]:
        return self.pending.hidden_ids()

    def undo(self) -> list[CaptureSummary]:
        """Bring back the newest batch still held; [] if there is none."""
        rows = self._undo()
        if rows:
            self.restored.emit(rows)
        return rows

    def commit_all(self) -> None:
        """Delete everything held now (the app quits, or a test does not wait)."""
        self.pending.commit_all()

    def _update(self) -> None:
        count = self.pending.newest_count()
        self.setVisible(count > 0)
        if count:
            self.label.setText(plural(count, "capture") + " deleted")
