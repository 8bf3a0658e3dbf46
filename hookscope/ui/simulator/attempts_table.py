"""The table of one timeline's attempts: number, time, wait before it, outcome and answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from hookscope.core.retry import Attempt, format_duration
from hookscope.ui.simulator.style import OUTCOME_COLORS, is_refused

__all__ = ["AttemptRole", "AttemptsModel", "SecondsRole", "answer_text"]

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("#", "At", "Delay", "Outcome", "Answer")
AttemptRole = Qt.ItemDataRole.UserRole + 1  # the Attempt of a row
SecondsRole = Qt.ItemDataRole.UserRole + 2  # `at` and `delay` as numbers, for sorting and tests


def answer_text(attempt: Attempt) -> str:
    if attempt.status is not None:
        return str(attempt.status)
    if attempt.elapsed_s:
        return f"none in {attempt.elapsed_s:g} s"
    return "refused" if is_refused(attempt) else "none"


class AttemptsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._attempts: list[Attempt] = []
        self._cells: list[tuple[str, ...]] = []  # display strings, computed once per row
        self._tips: list[str] = []

    def set_attempts(self, attempts: Sequence[Attempt]) -> None:
        self.beginResetModel()
        self._attempts = list(attempts)
        self._cells = [self._row_cells(a) for a in self._attempts]
        self._tips = [""] * len(self._attempts)
        self.endResetModel()

    def append(
        self, attempt: Attempt, answer: str | None = None, outcome: str | None = None, tip: str = ""
    ) -> None:
        """One more row; `answer` and `outcome` replace the simulated texts (a live run's)."""
        row = len(self._attempts)
        self.beginInsertRows(QModelIndex(), row, row)
        self._attempts.append(attempt)
        self._cells.append(self._row_cells(attempt, answer, outcome))
        self._tips.append(tip)
        self.endInsertRows()

    def clear(self) -> None:
        self.set_attempts(())

    def attempt(self, row: int) -> Attempt:
        return self._attempts[row]

    @property
    def attempts(self) -> tuple[Attempt, ...]:
        return tuple(self._attempts)

    def row_of(self, n: int) -> int | None:
        return next((row for row, a in enumerate(self._attempts) if a.n == n), None)

    @staticmethod
    def _row_cells(
        attempt: Attempt, answer: str | None = None, outcome: str | None = None
    ) -> tuple[str, ...]:
        delay = format_duration(attempt.delay_s) if attempt.n > 1 else "–"
        return (
            str(attempt.n),
            format_duration(attempt.at_s),
            delay,
            outcome or ("refused" if is_refused(attempt) else attempt.outcome.value),
            answer_text(attempt) if answer is None else answer,
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._attempts)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return COLUMNS[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[row] or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return OUTCOME_COLORS[self._attempts[row].outcome]
        if role == Qt.ItemDataRole.TextAlignmentRole and column < 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == AttemptRole:
            return self._attempts[row]
        if role == SecondsRole and column in (1, 2):
            attempt = self._attempts[row]
            return attempt.at_s if column == 1 else attempt.delay_s
        return None
