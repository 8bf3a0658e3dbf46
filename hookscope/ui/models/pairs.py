"""A read-only two-column table of (name, value) pairs: headers, query and form fields,
in their original order with repeats kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

__all__ = ["PairsModel"]

_Index = QModelIndex | QPersistentModelIndex


class PairsModel(QAbstractTableModel):
    def __init__(
        self, headings: tuple[str, str] = ("Name", "Value"), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.headings = headings
        self.pairs: list[tuple[str, str]] = []
        self.notes: list[str] = []

    def set_pairs(self, pairs: Sequence[tuple[str, str]], notes: Sequence[str] = ()) -> None:
        """`notes`, one per pair, mark rows shown for context (greyed, the note as tooltip)."""
        self.beginResetModel()
        self.pairs = list(pairs)
        self.notes = list(notes) or [""] * len(self.pairs)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.pairs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headings[section]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        note = self.notes[index.row()] if index.row() < len(self.notes) else ""
        if role == Qt.ItemDataRole.ToolTipRole and note:
            return f"{self.pairs[index.row()][index.column()]}\n({note})"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.pairs[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and note:
            return QColor(Qt.GlobalColor.gray)
        if role == Qt.ItemDataRole.FontRole and note:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def as_text(self, rows: Sequence[int] | None = None) -> str:
        chosen = self.pairs if rows is None else [self.pairs[r] for r in rows]
        return "\n".join(f"{name}: {value}" for name, value in chosen)
