"""Two captures side by side: what differs in the request line, the headers and the body
(JSON compared by path, key order ignored)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.diff import CaptureDiff
from hookscope.core.model import Capture

__all__ = ["CompareDialog"]

_COLOURS = {"added": "#2e9d48", "removed": "#d0443a", "changed": "#d08a12", "type": "#8e3aa8"}


class CompareDialog(QDialog):
    def __init__(
        self, first: Capture, second: Capture, diff: CaptureDiff, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare #{first.id} and #{second.id}")
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        body = {
            "same": "the bodies are identical",
            "json": "bodies compared as JSON (key order ignored)",
            "text": "bodies compared line by line",
            "bytes": "bodies differ (binary)",
        }[diff.body_mode]
        summary = (
            "No differences." if diff.identical else f"{len(diff.changes)} difference(s); {body}."
        )
        if diff.truncated:
            summary += " Only the first differences are listed."
        self.summary = QLabel(
            f"#{first.id} {first.method} {first.path}  →  "
            f"#{second.id} {second.method} {second.path}.  {summary}"
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(diff.changes), 5)
        self.table.setObjectName("differences")
        self.table.setHorizontalHeaderLabels(
            ["Where", "What", "Change", f"#{first.id}", f"#{second.id}"]
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((80, 280, 80, 320)):
            self.table.setColumnWidth(column, width)
        for row, change in enumerate(diff.changes):
            cells = (change.where, change.path, change.kind, change.before, change.after)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 2:
                    item.setForeground(QBrush(QColor(_COLOURS[change.kind])))
                self.table.setItem(row, column, item)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
