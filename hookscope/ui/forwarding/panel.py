"""The Forwarding tab: where captures go on to (the developer's own handler), how, and how it
is going: pending, delivered, failing, per target, live. Targets apply at once; pausing holds a
target's deliveries in the outbox (a paused pass-through target queues meanwhile)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.errors import HookscopeError
from hookscope.core.forward import DEFAULT_POLICY, ForwardTarget, HostMode, Mode, TargetError
from hookscope.core.forward.control import Forwarding
from hookscope.core.retry.catalog import build_policy, policy_names

__all__ = ["ForwardingPanel"]

COLUMNS = ("Name", "Path", "URL", "Mode", "Retry", "State", "Pending", "Delivered", "Failing",
           "Failed")  # fmt: skip
_DEFAULT_RETRY = "default (exponential, 8 attempts, 1 s to 30 s)"


class ForwardingPanel(QWidget):
    applied = Signal(str)  # a message for the status bar
    refreshed = Signal()  # the counts were read again (every second)

    def __init__(self, forwarding: Forwarding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forwarding = forwarding
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("(the URL)")
        self.url_edit = QLineEdit("http://localhost:3000")
        self.path_edit = QLineEdit("*")
        self.mode = QComboBox()
        self.mode.addItems([m.value for m in Mode])
        self.retry = QComboBox()
        self.retry.addItems([_DEFAULT_RETRY, *policy_names()])
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.1, 3600)
        self.timeout.setValue(10)
        self.timeout.setSuffix(" s")
        self.rewrite_host = QCheckBox("Rewrite Host to the target's")
        self.x_forwarded = QCheckBox("Add X-Forwarded-For/-Proto/-Host and Forwarded")
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("URL", self.url_edit)
        form.addRow("Path pattern", self.path_edit)
        form.addRow("Mode", self.mode)
        form.addRow("Retry (queue)", self.retry)
        form.addRow("Timeout per attempt", self.timeout)
        form.addRow("", self.rewrite_host)
        form.addRow("", self.x_forwarded)

        self.add_button = QPushButton("Add target")
        self.add_button.clicked.connect(self.add_target)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.pause_button = QPushButton("Pause")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.pause_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    @property
    def targets(self) -> list[ForwardTarget]:
        return list(self.forwarding.targets)

    def target_from_form(self) -> ForwardTarget:
        url = self.url_edit.text().strip()
        choice = self.retry.currentText()
        policy = DEFAULT_POLICY if choice == _DEFAULT_RETRY else build_policy(choice)
        return ForwardTarget(
            name=self.name_edit.text().strip() or url,
            url=url,
            path=self.path_edit.text().strip() or "*",
            mode=Mode(self.mode.currentText()),
            policy=policy,
            timeout_s=self.timeout.value(),
            host=HostMode.REWRITE if self.rewrite_host.isChecked() else HostMode.KEEP,
            forwarded_headers=self.x_forwarded.isChecked(),
        )

    def add_target(self) -> bool:
        try:
            target = self.target_from_form()
        except TargetError as exc:
            self.error.setText(f"{exc.field}: {exc.message}")
            return False
        except HookscopeError as exc:
            self.error.setText(str(exc))
            return False
        if any(t.name == target.name for t in self.targets):
            self.error.setText(f"a target named {target.name!r} exists already")
            return False
        self.error.setText("")
        self._apply([*self.targets, target], f"forwarding {target.path} to {target.url}")
        return True

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        targets = self.targets
        if 0 <= row < len(targets):
            gone = targets.pop(row)
            self._apply(targets, f"no longer forwarding to {gone.url}")

    def toggle_pause(self) -> None:
        row = self.table.currentRow()
        targets = self.targets
        if 0 <= row < len(targets):
            name = targets[row].name
            paused = not self.forwarding.paused(name)
            self.forwarding.set_paused(name, paused)
            self.applied.emit(f"{name}: {'paused' if paused else 'resumed'}")
            self.refresh()

    def _apply(self, targets: list[ForwardTarget], message: str) -> None:
        # Pauses survive a change of the other targets.
        kept = [replace(t, paused=self.forwarding.paused(t.name)) for t in targets]
        self.forwarding.set_targets(kept)
        self.refresh()
        self.applied.emit(message)

    def refresh(self) -> None:
        targets = self.targets
        counts = self.forwarding.counts()
        self.table.setRowCount(len(targets))
        for row, target in enumerate(targets):
            count = counts.get(target.name)
            state = "paused" if self.forwarding.paused(target.name) else "active"
            cells = (
                target.name, target.path, target.url, target.mode.value, target.policy.name,
                state, *(str(getattr(count, f, 0)) for f in
                         ("pending", "delivered", "failing", "failed")),
            )  # fmt: skip
            for column, text in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    self.table.setItem(row, column, QTableWidgetItem(text))
                elif item.text() != text:
                    item.setText(text)
        self._update_buttons()
        self.refreshed.emit()

    def _update_buttons(self) -> None:
        row = self.table.currentRow()
        targets = self.targets
        selected = 0 <= row < len(targets)
        self.remove_button.setEnabled(selected)
        self.pause_button.setEnabled(selected)
        if selected:
            paused = self.forwarding.paused(targets[row].name)
            self.pause_button.setText("Resume" if paused else "Pause")
