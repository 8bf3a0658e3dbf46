"""The filter bar: a query in hookscope's filter language, errors shown inline."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QColor, QInputMethodEvent, QTextCharFormat
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
        self.edit.textChanged.connect(self._edited)
        self._marked: tuple[int, int] | None = None
        self.edit.returnPressed.connect(self._emit)

    def _emit(self) -> None:
        self._debounce.stop()
        self.query_changed.emit(self.edit.text())

    def _edited(self, _text: str) -> None:
        self._mark(None)  # the old span no longer points at the mistake
        self._debounce.start()

    def show_error(self, message: str, position: int = -1, length: int = 0) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.edit.setStyleSheet("QLineEdit { border: 1px solid #d0443a; }" if message else "")
        if message and position >= 0:
            self._mark((position, max(1, length)))
        else:
            self._mark(None)

    def marked_text(self) -> str:
        """The part of the query the error underlines ("" if none)."""
        if self._marked is None:
            return ""
        start, length = self._marked
        return self.edit.text()[start : start + length]

    def _mark(self, span: tuple[int, int] | None) -> None:
        """Underline `span` with a wavy red line. An input-method event carrying only a text
        format changes neither the text, the cursor nor the selection (a selection would be
        replaced by the next key the user types)."""
        if span == self._marked:
            return
        self._marked = span
        attributes = []
        if span is not None:
            underline = QTextCharFormat()
            underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            underline.setUnderlineColor(QColor("#d0443a"))
            start = span[0] - self.edit.cursorPosition()  # relative to the cursor
            attributes.append(
                QInputMethodEvent.Attribute(
                    QInputMethodEvent.AttributeType.TextFormat, start, span[1], underline
                )
            )
        QCoreApplication.sendEvent(self.edit, QInputMethodEvent("", attributes))
