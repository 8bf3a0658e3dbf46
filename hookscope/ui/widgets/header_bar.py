"""The strip at the top: where to send webhooks, whether hookscope is listening, how many
have arrived and how fast."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from hookscope.ui.plurals import plural
from hookscope.ui.widgets.count_label import CountLabel
from hookscope.ui.widgets.public_url import PublicUrlControl

__all__ = ["HeaderBar"]


class HeaderBar(QWidget):
    listen_requested: ClassVar[Signal] = Signal(int)
    rules_requested: ClassVar[Signal] = Signal()  # the fault rules badge was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.state = QLabel("starting…")
        self.state.setObjectName("stateLabel")
        self.url = QLabel("")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url.setObjectName("urlLabel")
        font = self.url.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.url.setFont(font)
        self.copy = QPushButton("Copy URL")
        self.copy.setToolTip("Copy the receiving URL to the clipboard")
        self.copy.clicked.connect(self._copy_url)
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setToolTip("Port to listen on (0 picks a free one)")
        self.port.setPrefix("port ")
        self.listen = QPushButton("Listen")
        self.listen.setToolTip("Listen on this port")
        self.listen.clicked.connect(lambda: self.listen_requested.emit(self.port.value()))
        # While listening, the state is shown, not an action; changing the port is in its menu.
        self.listening = QToolButton()
        self.listening.setObjectName("listeningState")
        self.listening.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.listening.setStyleSheet("color: #2e9d48; font-weight: bold;")
        self.listening.setToolTip("hookscope is receiving webhooks on this port")
        menu = QMenu(self.listening)
        self.change_port = QAction("Change port…", self)
        self.change_port.triggered.connect(self._edit_port)
        menu.addAction(self.change_port)
        menu.addAction("Copy URL", self._copy_url)
        self.listening.setMenu(menu)
        self.listening.hide()
        self.rules_badge = QPushButton("")
        self.rules_badge.setObjectName("rulesBadge")
        self.rules_badge.setFlat(True)
        self.rules_badge.setCursor(Qt.CursorShape.PointingHandCursor)
        self.rules_badge.setStyleSheet("color: #b25d00; font-weight: bold;")
        self.rules_badge.setToolTip(
            "Fault rules answer some requests on purpose: click to see them"
        )
        self.rules_badge.clicked.connect(self.rules_requested.emit)
        self.rules_badge.hide()
        self.count = CountLabel("0 captures")
        self.rate = CountLabel("0.0/s")
        self.rate.setMinimumWidth(60)
        self.public = PublicUrlControl()
        left: list[QWidget] = [self.state, self.url, self.copy, self.public]
        right: list[QWidget] = [
            self.rules_badge,
            self.listening,
            self.port,
            self.listen,
            self.count,
            self.rate,
        ]
        for widget in left:
            layout.addWidget(widget)
        layout.addStretch(1)
        for widget in right:
            layout.addWidget(widget)

    def _copy_url(self) -> None:
        QGuiApplication.clipboard().setText(self.url.text())

    def _edit_port(self) -> None:
        self._show_port_editor(True)
        self.port.setFocus()
        self.port.selectAll()

    def _show_port_editor(self, shown: bool) -> None:
        self.port.setVisible(shown)
        self.listen.setVisible(shown)

    def show_listening(self, url: str, port: int) -> None:
        self.state.setText("Send webhooks to")
        self.state.setStyleSheet("color: gray;")
        self.url.setText(url)
        self.copy.setEnabled(True)
        self.port.setValue(port)
        self._show_port_editor(False)  # first: the bar must never hold both at once
        self.listening.setText(f"● Listening on :{port}")
        self.listening.show()

    def show_error(self, message: str, suggestion: int | None, still: str | None = None) -> None:
        """A port that could not be used; `still` is the URL that keeps listening, if any."""
        self.state.setText(f"● {message}")
        self.state.setStyleSheet(f"color: {'#b25d00' if still else '#d0443a'}; font-weight: bold;")
        self.url.setText(still or "")
        self.copy.setEnabled(still is not None)
        self.listening.setVisible(still is not None)
        self._show_port_editor(True)
        if suggestion is not None:
            self.port.setValue(suggestion)

    def show_rules(self, active: int, since_last_time: bool = False) -> None:
        """The badge that keeps live fault rules in sight (hidden when none answer)."""
        noun = "fault rule" if active == 1 else "fault rules"
        since = " (on since last time)" if since_last_time else ""
        self.rules_badge.setText(f"⚠ {active} {noun} active{since}")
        self.rules_badge.setVisible(active > 0)

    def show_counts(self, total: int, shown: int, rate: float) -> None:
        self.count.setText(
            plural(total, "capture") if shown == total else f"{shown:,} of {total:,}"
        )
        self.rate.setText(f"{rate:.1f}/s")
