"""The detail pane's Forwarded tab: every attempt to deliver the capture to a handler, with
the request as sent and the handler's answer, and *Forward again*."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.forward.control import Forwarding
from hookscope.core.store import outbox
from hookscope.core.store.outbox import AttemptRow

__all__ = ["ForwardedView"]

COLUMNS = ("#", "Target", "Sent", "Answer", "Took", "URL")


def answer_text(attempt: AttemptRow) -> str:
    if attempt.duration_ms is None:
        return "in flight…"
    if attempt.status is not None:
        return str(attempt.status)
    return attempt.error or "no answer"


class ForwardedView(QWidget):
    forward_again_requested = Signal(int)  # capture id

    def __init__(self, forwarding: Forwarding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forwarding = forwarding
        self.capture_id: int | None = None
        self.attempts: list[AttemptRow] = []
        self.summary = QLabel("")
        self.again = QPushButton("Forward again")
        self.again.setToolTip("Deliver this capture again to every matching forward target")
        self.again.clicked.connect(self._again)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_attempt(row))
        self.exchange = QPlainTextEdit()
        self.exchange.setReadOnly(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.again)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.exchange)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.show_capture(None)

    def show_capture(self, capture_id: int | None) -> None:
        self.capture_id = capture_id
        self.refresh()

    def refresh(self) -> None:
        capture_id = self.capture_id
        rows = [] if capture_id is None else outbox.attempts_for(self.forwarding.store.reader(),
                                                                 capture_id)  # fmt: skip
        self.attempts = rows
        self.table.setRowCount(len(rows))
        for row, attempt in enumerate(rows):
            sent = datetime.fromtimestamp(attempt.started_us / 1_000_000).strftime("%H:%M:%S.%f")
            took = "" if attempt.duration_ms is None else f"{attempt.duration_ms:.0f} ms"
            cells = (str(attempt.n), attempt.target, sent[:-3], answer_text(attempt), took,
                     attempt.url)  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.again.setEnabled(capture_id is not None and bool(self.forwarding.targets))
        if capture_id is None:
            self.summary.setText("")
        elif not rows:
            self.summary.setText("Not forwarded.")
        else:
            delivered = sum(1 for a in rows if a.ok)
            self.summary.setText(f"{len(rows)} attempts, {delivered} answered 2xx")
        if rows and not 0 <= self.table.currentRow() < len(rows):
            self.table.setCurrentCell(len(rows) - 1, 0)  # the latest attempt, at first
        self._show_attempt(self.table.currentRow() if rows else -1)

    def _show_attempt(self, row: int) -> None:
        if not 0 <= row < len(self.attempts):
            self.exchange.setPlainText("")
            return
        attempt = self.attempts[row]
        lines = [f"{attempt.method} {attempt.url}"]
        lines += [f"{name}: {value}" for name, value in attempt.request_headers]
        lines.append("")
        if attempt.status is not None:
            lines.append(f"→ {attempt.status}")
            lines += [f"{name}: {value}" for name, value in attempt.response_headers]
            lines.append("")
            lines.append(attempt.response_body.decode("utf-8", "replace"))
            if attempt.response_size and attempt.response_size > len(attempt.response_body):
                lines.append(f"… ({attempt.response_size} bytes in all)")
        else:
            lines.append(f"→ {answer_text(attempt)}")
        self.exchange.setPlainText("\n".join(lines))

    def _again(self) -> None:
        if self.capture_id is not None:
            self.forward_again_requested.emit(self.capture_id)
