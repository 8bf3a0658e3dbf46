"""The filter bar: a query in hookscope's filter language, errors shown inline."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

__all__ = ["FilterBar"]


class FilterBar(QWidget):
    query_changed: ClassVar[Signal] = Signal(str)
    help_requested: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 4)
        self.edit = QLineEdit()
        self.edit.setObjectName("filterEdit")
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(
            "Filter (Ctrl+F):  method:POST  status:>=400  header:X-GitHub-Event=push  "
            "json:$.amount>1000  -path:/health  …"
        )
        self.error = QLabel("")
        self.error.setObjectName("filterError")
        self.error.setStyleSheet("color: #d0443a;")
        self.error.hide()
        self.help = QToolButton()
        self.help.setText("?")
        self.help.setToolTip("Filter syntax")
        self.help.clicked.connect(self.help_requested.emit)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.help)
        # Typing re-filters after a short pause, not on every keystroke.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._emit)
        self.edit.textChanged.connect(lambda _: self._debounce.start())
        self.edit.returnPressed.connect(self._emit)

    def _emit(self) -> None:
        self._debounce.stop()
        self.query_changed.emit(self.edit.text())

    def show_error(self, message: str, position: int = -1, length: int = 0) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.edit.setStyleSheet("QLineEdit { border: 1px solid #d0443a; }" if message else "")
        if message and position >= 0:
            self.edit.setSelection(position, max(1, length))
