"""The outage windows of a scenario, as an editable two-column table (from, to), kept sorted.

Cells show and accept durations (`00:35:00`, `35 min`, `2100`); a window that would end before
it starts is refused rather than silently swapped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import Outage, format_duration
from hookscope.ui.simulator.durations import parse_duration

__all__ = ["OutagesModel"]

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Down from", "Up again at")


class OutagesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._outages: list[Outage] = []
        self.last_error = ""  # why the last edit was refused, for the editor to show

    @property
    def outages(self) -> tuple[Outage, ...]:
        return tuple(self._outages)

    def set_outages(self, outages: Iterable[Outage]) -> None:
        self.beginResetModel()
        self._outages = sorted(outages, key=_start)
        self.endResetModel()

    def add(self, outage: Outage) -> int:
        """Insert in order of start; returns the new row."""
        row = next((i for i, o in enumerate(self._outages) if o.start_s > outage.start_s), None)
        row = len(self._outages) if row is None else row
        self.beginInsertRows(QModelIndex(), row, row)
        self._outages.insert(row, outage)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._outages[row]
        self.endRemoveRows()

    def replace(self, row: int, outage: Outage) -> int:
        """Change a window, moving its row if its start now sorts elsewhere; returns the row.
        One signal either way (dataChanged or layoutChanged), so a listener recomputes once."""
        if self._outages[row] == outage:
            return row
        self._outages[row] = outage
        order = sorted(range(len(self._outages)), key=lambda r: (self._outages[r].start_s, r))
        if order == list(range(len(order))):
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return row
        self.layoutAboutToBeChanged.emit()
        new_row = {old: new for new, old in enumerate(order)}
        for index in self.persistentIndexList():
            self.changePersistentIndex(index, self.index(new_row[index.row()], index.column()))
        self._outages = [self._outages[r] for r in order]
        self.layoutChanged.emit()
        return new_row[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._outages)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return COLUMNS[section]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            outage = self._outages[index.row()]
            return format_duration(outage.start_s if index.column() == 0 else outage.end_s)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            seconds = parse_duration(str(value))
        except HookscopeError as exc:
            self.last_error = str(exc)
            return False
        old = self._outages[index.row()]
        start, end = (seconds, old.end_s) if index.column() == 0 else (old.start_s, seconds)
        if not start < end:
            self.last_error = "an outage must end after it starts"
            return False
        self.last_error = ""
        self.replace(index.row(), Outage(start, end))
        return True


def _start(outage: Outage) -> float:
    return outage.start_s
