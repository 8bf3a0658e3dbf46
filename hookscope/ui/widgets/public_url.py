"""The header's "Public URL" control: pick a tunnel tool (only installed ones can be picked),
start it, see its state and the URL (with Copy), switch the guards, and see where each
webhook provider wants the URL pasted. It only asks; the window starts and stops the tunnel
(`start_requested`, `stop_requested`) and reports back with `show_status`."""

from __future__ import annotations

import html
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from hookscope.core.guards import GuardSettings
from hookscope.core.tunnels import KINDS, PASTE_HINTS, TunnelState, TunnelStatus, availability

__all__ = ["PublicUrlControl"]

_PLACEHOLDERS = {
    "ssh": "localhost.run | pinggy | serveo | user@host[:port]",
    "cloudflared": "quick tunnel, or NAME=HOSTNAME",
    "ngrok": "random domain, or your domain",
    "tailscale": "",
}
_COLOURS = {
    TunnelState.UP: "#2e9d48",
    TunnelState.CONNECTING: "#c08a1e",
    TunnelState.RETRYING: "#c08a1e",
    TunnelState.DROPPED: "#d0443a",
    TunnelState.FAILED: "#d0443a",
}


class PublicUrlControl(QWidget):
    start_requested: ClassVar[Signal] = Signal(str, str, object)  # kind, target, GuardSettings
    stop_requested: ClassVar[Signal] = Signal()
    # Emitted from the tunnel's thread; Qt queues it to this widget's (the GUI) thread.
    status_changed: ClassVar[Signal] = Signal(object, str)  # TunnelStatus, public URL

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publicUrl")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.provider = QComboBox()
        self.provider.setToolTip("Tunnel tool for a public URL (only installed ones are enabled)")
        self.target = QLineEdit()
        self.target.setMaximumWidth(200)
        self.start = QPushButton("Go public")
        self.start.setToolTip("Open a tunnel: a public https URL that reaches this receiver")
        self.start.clicked.connect(self._toggle)
        # Both show text that a tunnel tool printed: never interpreted as rich text.
        self.state = QLabel("")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.url = QLabel("")
        self.url.setTextFormat(Qt.TextFormat.PlainText)
        self.url.setObjectName("publicUrlLabel")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QPushButton("Copy")
        self.copy.setToolTip("Copy the public URL (with its secret prefix) to the clipboard")
        self.copy.setEnabled(False)
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url.text()))
        self.guards_button = QToolButton()
        self.guards_button.setText("Guards")
        self.guards_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.guards_button.setToolTip("What protects the receiver while it is public")
        guards = QMenu(self.guards_button)
        self.secret_path = self._check(guards, "Secret path prefix (others get 404)", True)
        self.rate_limit = self._check(guards, "Rate limit: 10 requests/s per client (429)", True)
        self.signatures = self._check(guards, "Require valid signatures on paths…", False)
        self.signatures.toggled.connect(self._ask_signature_paths)
        self.signature_paths: tuple[str, ...] = ()
        self.guards_button.setMenu(guards)
        self.hints = QToolButton()
        self.hints.setText("Where to paste?")
        self.hints.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        hints = QMenu(self.hints)
        for provider, where in PASTE_HINTS.items():
            action = hints.addAction(f"{provider}: {where}")
            action.setEnabled(False)  # information, not commands
        self.hints.setMenu(hints)
        for widget in (self.provider, self.target, self.start, self.state, self.url, self.copy):
            layout.addWidget(widget)
        layout.addWidget(self.guards_button)
        layout.addWidget(self.hints)
        self.running = False
        self.status_changed.connect(self.show_status)
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self.refresh_tools()

    @staticmethod
    def _check(menu: QMenu, text: str, on: bool) -> QAction:
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(on)
        return action

    def refresh_tools(self) -> None:
        """Enable the tools that are installed now; the others say how to install them."""
        self.provider.clear()
        model = self.provider.model()
        first_available = -1
        for row, kind in enumerate(KINDS):
            found = availability(kind)
            self.provider.addItem(kind)
            self.provider.setItemData(row, found.line(), Qt.ItemDataRole.ToolTipRole)
            if isinstance(model, QStandardItemModel):
                item = model.item(row)
                if item is not None:
                    item.setEnabled(found.available)
            if found.available and first_available < 0:
                first_available = row
        self.provider.setCurrentIndex(max(first_available, 0))
        self.start.setEnabled(first_available >= 0)
        if first_available < 0:
            self.state.setText("no tunnel tool installed (see `hookscope tunnels`)")

    def guard_settings(self) -> GuardSettings:
        return GuardSettings(
            secret_path=self.secret_path.isChecked(),
            rate=10.0 if self.rate_limit.isChecked() else 0.0,
            burst=20,
            require_signature=self.signature_paths if self.signatures.isChecked() else (),
        )

    def _ask_signature_paths(self, on: bool) -> None:
        if not on:
            return
        text, ok = QInputDialog.getText(
            self,
            "Require signatures",
            "Paths (globs, without the secret prefix, comma-separated) whose requests need a "
            "valid signature by the signature settings:",
            text=", ".join(self.signature_paths) or "/hooks/*",
        )
        paths = tuple(p.strip() for p in text.split(",") if p.strip()) if ok else ()
        self.signature_paths = paths
        if not paths:
            self.signatures.setChecked(False)

    def _provider_changed(self) -> None:
        kind = self.provider.currentText()
        self.target.setPlaceholderText(_PLACEHOLDERS.get(kind, ""))
        self.target.setEnabled(kind != "tailscale")

    def _toggle(self) -> None:
        if self.running:
            self.stop_requested.emit()
            return
        self.start_requested.emit(
            self.provider.currentText(), self.target.text().strip(), self.guard_settings()
        )

    def set_running(self, running: bool) -> None:
        self.running = running
        self.start.setText("Stop public" if running else "Go public")
        for widget in (self.provider, self.target, self.guards_button):
            widget.setEnabled(not running)
        if not running:
            self.url.setText("")
            self.copy.setEnabled(False)

    def show_status(self, status: TunnelStatus, url: str) -> None:
        if status.state not in {TunnelState.FAILED, TunnelState.STOPPED} and not self.running:
            self.set_running(True)  # reopened by the window, e.g. after a port change
        text = status.state.value
        if status.state is TunnelState.RETRYING:
            text = f"retrying in {status.retry_in:g} s"
        self.state.setText(f"● {text}")
        self.state.setToolTip(html.escape(status.line()))
        self.state.setStyleSheet(f"color: {_COLOURS.get(status.state, '#888')};")
        if status.state is TunnelState.UP:
            self.url.setText(url)
            self.copy.setEnabled(True)
        elif status.state in {TunnelState.FAILED, TunnelState.STOPPED}:
            self.set_running(False)
        else:
            self.copy.setEnabled(False)

    def show_error(self, message: str) -> None:
        self.state.setText(f"● {message}")
        self.state.setStyleSheet(f"color: {_COLOURS[TunnelState.FAILED]};")
        self.set_running(False)
