"""A search field that steps through matches: Enter / F3 for the next, with Shift the previous."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

__all__ = ["SearchField"]

_STEP_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3)


class SearchField(QLineEdit):
    next_requested: ClassVar[Signal] = Signal()
    previous_requested: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The keys act only while this field has focus: F3 elsewhere is someone else's.
        if event.key() in _STEP_KEYS:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            (self.previous_requested if shift else self.next_requested).emit()
            event.accept()
            return
        super().keyPressEvent(event)
