"""The failure scenario: the first N attempts fail or time out, and windows when the receiver
is down. Windows are listed here (edit a cell to type exact times) and drawn on the timeline."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.retry import Outage, Scenario
from hookscope.ui.simulator.outages_model import OutagesModel
from hookscope.ui.simulator.style import ERROR_COLOR

__all__ = ["ScenarioEditor"]

_ROW_HEIGHT = 22
_NEW_OUTAGE_S = 30 * 60.0  # "Add" proposes a 30 min window after the last one


def _count_box(tip: str, maximum: int = 1000) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setKeyboardTracking(False)
    box.setToolTip(tip)
    return box


class ScenarioEditor(QWidget):
    changed: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fail_first = _count_box("The first N attempts are answered with the failure status")
        self.fail_first.setObjectName("failFirst")
        self.timeout_first = _count_box("The first N attempts get no answer before the timeout")
        self.timeout_first.setObjectName("timeoutFirst")
        self.fail_status = QSpinBox()
        self.fail_status.setRange(100, 599)
        self.fail_status.setValue(503)
        self.fail_status.setKeyboardTracking(False)
        self.fail_status.setToolTip(
            "The status a failing attempt gets: 410 makes most senders give up, 3xx counts as "
            "a failure"
        )
        self.retry_after = _count_box(
            "A Retry-After header on failing answers, in seconds (senders that honour it wait "
            "that long instead)",
            maximum=10**7,
        )
        self.retry_after.setSpecialValueText("none")
        self.retry_after.setSuffix(" s")

        self.outages = OutagesModel(self)
        self.table = QTableView()
        self.table.setObjectName("outagesTable")
        self.table.setModel(self.outages)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(_ROW_HEIGHT)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(_ROW_HEIGHT * 3)
        self.table.setMaximumHeight(_ROW_HEIGHT * 7)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add an outage window after the last one")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected windows")
        self.hint = QLabel("Shift+drag on the timeline to draw a window; drag its edges to move")
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, either scheme
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Fail first", self.fail_first)
        form.addRow("Time out first", self.timeout_first)
        form.addRow("Failure status", self.fail_status)
        form.addRow("Retry-After", self.retry_after)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Receiver down"))
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)

        for box in (self.fail_first, self.timeout_first, self.fail_status, self.retry_after):
            box.valueChanged.connect(lambda _value: self.changed.emit())
        for signal in (
            self.outages.dataChanged,
            self.outages.rowsInserted,
            self.outages.rowsRemoved,
            self.outages.layoutChanged,
            self.outages.modelReset,
        ):
            signal.connect(self._on_outages_changed)
        self.outages.dataChanged.connect(lambda *_: self._show_edit_error())
        self.add_button.clicked.connect(lambda _checked=False: self.add_after_last())
        self.remove_button.clicked.connect(lambda _checked=False: self.remove_selected())
        self.table.itemDelegate().closeEditor.connect(lambda *_: self._show_edit_error())

    def scenario(self) -> Scenario:
        retry_after = self.retry_after.value()
        return Scenario(
            fail_first=self.fail_first.value(),
            timeout_first=self.timeout_first.value(),
            outages=self.outages.outages,
            fail_status=self.fail_status.value(),
            fail_headers=(("Retry-After", str(retry_after)),) if retry_after else (),
        )

    def add_outage(self, start_s: float, end_s: float) -> int:
        """Add a window (seconds after the first attempt); returns its row."""
        row = self.outages.add(Outage(max(0.0, start_s), end_s))
        self.table.selectRow(row)
        return row

    def move_outage(self, row: int, start_s: float, end_s: float) -> None:
        self.outages.replace(row, Outage(max(0.0, start_s), end_s))

    def add_after_last(self) -> None:
        last = max((o.end_s for o in self.outages.outages), default=0.0)
        start = last + _NEW_OUTAGE_S if last else 0.0
        self.add_outage(start, start + _NEW_OUTAGE_S)

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        for row in reversed(rows):
            self.outages.remove(row)

    def clear_outages(self) -> None:
        self.outages.set_outages(())

    def _on_outages_changed(self, *_: object) -> None:
        self.remove_button.setEnabled(self.outages.rowCount() > 0)
        self.changed.emit()

    def _show_edit_error(self) -> None:
        message = self.outages.last_error
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.outages.index(row, 0, QModelIndex()))
