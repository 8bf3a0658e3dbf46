"""What an empty capture table shows instead: where to send webhooks, a curl command that
works as it is, and a button that sends a signed sample event."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from hookscope.ui.sample_event import curl_example

__all__ = ["EmptyState"]


class EmptyState(QWidget):
    sample_requested: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        title = QLabel("No captures yet")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.url = QLabel("")
        self.url.setObjectName("emptyStateUrl")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url.setWordWrap(True)
        self.curl = QPlainTextEdit()
        self.curl.setObjectName("emptyStateCurl")
        self.curl.setReadOnly(True)
        self.curl.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.curl.setMaximumHeight(80)
        self.copy = QPushButton("Copy curl command")
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.command()))
        self.sample = QPushButton("Send a sample event")
        self.sample.setObjectName("sendSample")
        self.sample.setToolTip(
            "Sends a signed order_created event to this receiver, and adds a signature "
            "setting for its path so that its ✓ shows"
        )
        self.sample.clicked.connect(self.sample_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy)
        buttons.addWidget(self.sample)
        buttons.addStretch(1)
        hint = QLabel(
            "Point any webhook provider at this URL (any path, any method), or try it from a "
            "terminal. Each request appears here as it arrives, with its headers, its body as a "
            "JSON tree, and ✓ or ✗ for its signature once a secret is set "
            "(Edit → Signature settings…)."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: gray;")
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(self.url)
        layout.addWidget(self.curl)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addStretch(2)

    def show_url(self, url: str) -> None:
        self.url.setText(f"Send webhooks to <b>{url}</b>/<i>any-path</i>, for example:")
        self.curl.setPlainText(curl_example(url))

    def command(self) -> str:
        return self.curl.toPlainText()
