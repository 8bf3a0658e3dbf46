"""The live capture table: light rows, display strings computed once, inserts coalesced.

Rows arrive from the store's feed in batches; `queue_rows` throttles them: the first batch after
a quiet spell is inserted at once, and while captures keep coming, everything pending goes in
with one beginInsertRows at most every 50 ms. So a lone webhook shows up immediately, and
thousands per second cost twenty model updates a second, not thousands. `flush()` is public so
that tests can insert without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from hookscope.core.model import CaptureSummary
from hookscope.core.view import CaptureView, ViewListener
from hookscope.ui.verdict_cache import VerdictCache

__all__ = ["COLUMNS", "CaptureTableModel", "SummaryRole"]

SummaryRole = Qt.ItemDataRole.UserRole + 1
FLUSH_INTERVAL_S = 0.05
COLUMNS = ("", "Sig", "Time", "Method", "Path", "Status", "Size", "Content type", "Event", "Source",
           "ID", "Note", "Handler")  # fmt: skip
_STAR, _SIG, _TIME, _METHOD, _PATH, _STATUS, _SIZE = range(7)
_ID, _NOTE = COLUMNS.index("ID"), COLUMNS.index("Note")
# The columns the table sorts by; the others keep the current order when their header is clicked.
SORT_KEYS = {_ID: "id", _TIME: "time"}
_HANDLER = len(COLUMNS) - 1  # filled by `handler_status` (hookscope.ui.forwarding)
_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_SUMMARY = int(SummaryRole)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ALIGN_BY_COLUMN = {
    _SIG: int(Qt.AlignmentFlag.AlignCenter.value),
    _SIZE: _RIGHT,
    _STATUS: _RIGHT,
    _ID: _RIGHT,
}


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _display(row: CaptureSummary) -> tuple[str, ...]:
    moment = datetime.fromtimestamp(row.received_us / 1_000_000)
    status = str(row.response_status) if row.response_status else "—"
    if row.rejected:
        status += " ✕"
    return (
        "★" if row.starred else "",
        "",  # the signature verdict comes from the verdict cache
        moment.strftime("%H:%M:%S.") + f"{row.received_us % 1_000_000 // 1000:03d}",
        row.method or "?",
        row.target if not row.rejected or row.target else f"({row.rejected})",
        status,
        human_size(row.body_size),
        row.content_type,
        row.event_type,
        row.remote,
        str(row.id),
        " ".join(row.note.split()),  # one line in a row
    )


def _by_id(row: CaptureSummary) -> tuple[int, int]:
    return (row.id, 0)


def _by_time(row: CaptureSummary) -> tuple[int, int]:
    # An import keeps each capture's own time, so ids and times disagree; the id breaks ties.
    return (row.received_us, row.id)


class _Mirror(ViewListener):
    """Keeps the model's row cache in step with a CaptureView."""

    def __init__(self, model: CaptureTableModel, view: CaptureView) -> None:
        self.model = model
        self.view = view

    def rows_inserted(self, first: int, rows: Sequence[CaptureSummary]) -> None:
        self.model.queue_rows(rows)  # the model puts them in its own order

    def rows_removed(self, ids: frozenset[int]) -> None:
        self.model.remove_ids(ids)

    def rows_reset(self) -> None:
        self.model.set_rows(self.view.rows)

    def row_changed(self, row: CaptureSummary) -> None:
        self.model.replace(row)


class CaptureTableModel(QAbstractTableModel):
    count_changed = Signal(int)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        newest_first: bool = True,
        verdicts: VerdictCache | None = None,
    ) -> None:
        super().__init__(parent)
        self.newest_first = newest_first
        self.verdicts = verdicts
        if verdicts is not None:
            verdicts.ready.connect(self._verdicts_ready)
            verdicts.reset.connect(self._verdicts_reset)
        self.sort_by = "id"  # or "time"
        self._key: Callable[[CaptureSummary], tuple[int, int]] = _by_id
        self._positions: dict[int, int] | None = None  # id -> row, when sorted by time
        self._rows: list[CaptureSummary] = []
        self._cells: list[tuple[str, ...] | None] = []  # display strings, made on first paint
        self._pending: list[CaptureSummary] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self._last_flush = 0.0
        self._status_brushes = {
            2: QBrush(QColor("#2e9d48")),
            3: QBrush(QColor("#3b82c4")),
            4: QBrush(QColor("#d08a12")),
            5: QBrush(QColor("#d0443a")),
        }
        self._verdict_brushes = {"✓": self._status_brushes[2], "✗": self._status_brushes[5]}
        self._bold = QFont()
        self._bold.setBold(True)
        # The Handler column's text for a capture id (forwarding sets it; "" without).
        self.handler_status: Callable[[int], str] | None = None

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        # Called for every role of every painted cell: plain int comparisons (enum attribute
        # lookups cost more than the work), the common case first, everything else None.
        if role == _DISPLAY:
            column = index.column()
            row = index.row()
            if column == _SIG:
                return self.verdicts.symbol(self._rows[row]) if self.verdicts else ""
            if column == _HANDLER:
                status = self.handler_status
                return status(self._rows[row].id) if status is not None else ""
            cells = self._cells[row]
            if cells is None:
                cells = self._cells[row] = _display(self._rows[row])
            return cells[column]
        if role == _FOREGROUND:
            column = index.column()
            if column == _STATUS:
                return self._status_brushes.get(self._rows[index.row()].response_status // 100)
            if column == _SIG and self.verdicts:
                return self._verdict_brushes.get(self.verdicts.symbol(self._rows[index.row()]))
            return None
        if role == _ALIGNMENT:
            return _ALIGN_BY_COLUMN.get(index.column())
        if role == _FONT:
            return self._bold if index.column() == _METHOD else None
        if role == _SUMMARY:
            return self._rows[index.row()]
        if role == _TOOLTIP and index.column() == _SIG and self.verdicts:
            return self.verdicts.summary(self._rows[index.row()].id) or None
        return None

    # -- content --------------------------------------------------------------------------

    def attach(self, view: CaptureView) -> Callable[[], None]:
        """Mirror `view` (its rows now, its changes from here on); returns the detach."""
        self.set_rows(view.rows)
        return view.subscribe(_Mirror(self, view))

    def summary(self, row: int) -> CaptureSummary:
        return self._rows[row]

    def row_of(self, capture_id: int) -> int | None:
        if self.sort_by != "id":  # rows by time: a map, rebuilt after changes
            if self._positions is None:
                self._positions = {row.id: i for i, row in enumerate(self._rows)}
            return self._positions.get(capture_id)
        # Rows are sorted by id (ascending or descending): bisect instead of scanning.
        lo, hi = 0, len(self._rows)
        while lo < hi:
            mid = (lo + hi) // 2
            mid_id = self._rows[mid].id
            if mid_id == capture_id:
                return mid
            if (mid_id > capture_id) == self.newest_first:
                lo = mid + 1
            else:
                hi = mid
        return None

    def set_rows(self, rows: Sequence[CaptureSummary]) -> None:
        """Replace everything (history loaded, filter changed): one reset, not n inserts."""
        self._pending.clear()
        self.beginResetModel()
        self._rows = sorted(rows, key=self._key, reverse=self.newest_first)
        self._cells = [None] * len(self._rows)
        self._positions = None
        self.endResetModel()
        self.count_changed.emit(len(self._rows))

    def set_newest_first(self, newest_first: bool) -> None:
        if newest_first != self.newest_first:
            self.flush()
            self.beginResetModel()
            self.newest_first = newest_first
            self._rows.reverse()
            self._cells.reverse()
            self._positions = None
            self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by id or by time (other columns keep the order); the selection stays put."""
        by = SORT_KEYS.get(column)
        if by is None:
            return
        self.flush()
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._rows[i.row()].id, i.column()) for i in persistent]
        cells = {row.id: cell for row, cell in zip(self._rows, self._cells, strict=True)}
        self.sort_by = by
        self._key = _by_time if by == "time" else _by_id
        self.newest_first = order == Qt.SortOrder.DescendingOrder
        self._rows.sort(key=self._key, reverse=self.newest_first)
        self._cells = [cells[row.id] for row in self._rows]
        self._positions = None
        moved = []
        for capture_id, column_of in held:
            at = self.row_of(capture_id)
            moved.append(self.index(at, column_of) if at is not None else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return next(column for column, by in SORT_KEYS.items() if by == self.sort_by)

    def queue_rows(self, rows: Iterable[CaptureSummary]) -> None:
        """New captures (arrival order): inserted now after a quiet spell, else at the next
        flush, at most FLUSH_INTERVAL_S after the previous one."""
        self._pending.extend(rows)
        if not self._pending or self._timer.isActive():
            return
        wait = self._last_flush + FLUSH_INTERVAL_S - time.monotonic()
        if wait <= 0:
            self.flush()
        else:
            self._timer.start(int(wait * 1000) + 1)

    def flush(self) -> None:
        self._timer.stop()
        if not self._pending:
            return
        self._last_flush = time.monotonic()
        batch, self._pending = self._pending, []
        count = len(batch)
        self._positions = None
        if self.sort_by != "id" and not self._at_the_edge(batch):
            self._insert_in_place(batch)
            return
        if self.newest_first:
            self.beginInsertRows(QModelIndex(), 0, count - 1)
            self._rows[0:0] = batch[::-1]
            self._cells[0:0] = [None] * count
        else:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + count - 1)
            self._rows.extend(batch)
            self._cells.extend([None] * count)
        self.endInsertRows()
        self.count_changed.emit(len(self._rows))

    def _at_the_edge(self, batch: list[CaptureSummary]) -> bool:
        """Whether the batch, sorted, goes after the newest row (live captures do)."""
        if self._rows:
            newest = self._rows[0] if self.newest_first else self._rows[-1]
            if min(map(self._key, batch)) < self._key(newest):
                return False
        batch.sort(key=self._key)
        return True

    def _insert_in_place(self, batch: list[CaptureSummary]) -> None:
        """Rows older than the newest (imported captures, when sorted by time) go where their
        time puts them: one insert per gap they fill."""
        gaps: dict[int, list[CaptureSummary]] = {}
        for row in sorted(batch, key=self._key, reverse=self.newest_first):
            gaps.setdefault(self._gap(self._key(row)), []).append(row)
        added = 0
        for gap in sorted(gaps):
            rows = gaps[gap]
            at = gap + added
            self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
            self._rows[at:at] = rows
            self._cells[at:at] = [None] * len(rows)
            self.endInsertRows()
            added += len(rows)
        self.count_changed.emit(len(self._rows))

    def _gap(self, key: tuple[int, int]) -> int:
        """Where a row with `key` goes among the current rows (in display order)."""
        lo, hi = 0, len(self._rows)
        while lo < hi:
            mid = (lo + hi) // 2
            if (self._key(self._rows[mid]) > key) == self.newest_first:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def remove_ids(self, ids: Iterable[int]) -> None:
        self.flush()
        doomed = set(ids)
        rows = sorted((r for r in map(self.row_of, doomed) if r is not None), reverse=True)
        # Remove contiguous runs with one call each.
        while rows:
            last = first = rows.pop(0)
            while rows and rows[0] == first - 1:
                first = rows.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            del self._cells[first : last + 1]
            self._positions = None
            self.endRemoveRows()
        self.count_changed.emit(len(self._rows))

    def _verdicts_ready(self, ids: list[int]) -> None:
        for capture_id in ids:
            row = self.row_of(capture_id)
            if row is not None:
                cell = self.index(row, _SIG)
                self.dataChanged.emit(cell, cell)

    def handler_column_changed(self) -> None:
        """Repaint the Handler column (its texts are looked up in batches)."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, _HANDLER), self.index(last, _HANDLER))

    def _verdicts_reset(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, _SIG), self.index(len(self._rows) - 1, _SIG))

    def replace(self, summary: CaptureSummary) -> None:
        for n, waiting in enumerate(self._pending):  # not inserted yet: swap it in the queue
            if waiting.id == summary.id:
                self._pending[n] = summary
                return
        row = self.row_of(summary.id)
        if row is not None:
            self._rows[row] = summary
            self._cells[row] = None
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
