"""A label for numbers that change while you look: tabular digits, right-aligned, and a width
that only grows, so the widgets beside it never shift as a count ticks over."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["CountLabel"]

_TABULAR = QFont.Tag("tnum")


class CountLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = self.font()
        font.setFeature(_TABULAR, 1)  # "1" as wide as "8": 111 and 888 take the same room
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        needed = self.fontMetrics().horizontalAdvance(text) + 2 * self.margin() + 4
        if needed > self.minimumWidth():
            self.setMinimumWidth(needed)
