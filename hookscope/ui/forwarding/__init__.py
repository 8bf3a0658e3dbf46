"""Forwarding in the app: the Forwarding tab, the detail pane's Forwarded tab, the table's
Handler column, and *Forward again*. `install(window)` is the window's one hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from hookscope.ui.forwarding.attempts_view import ForwardedView
from hookscope.ui.forwarding.column import HandlerColumn
from hookscope.ui.forwarding.panel import ForwardingPanel

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["ForwardedView", "Forwarding", "ForwardingPanel", "HandlerColumn", "install"]


class Forwarding:
    """What `install` adds to a window, kept together so tests can reach it."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        forwarding = window.session.forwarding
        self.column = HandlerColumn(forwarding, window)
        self.panel = ForwardingPanel(forwarding)
        self.panel.applied.connect(lambda text: window.statusBar().showMessage(text, 5000))
        self.panel.applied.connect(lambda _text: self.column.forget())
        self.view = ForwardedView(forwarding)
        self.view.forward_again_requested.connect(lambda cid: self.forward_again([cid]))
        window.model.handler_status = self.column.text
        self.column.changed.connect(window.model.handler_column_changed)
        window.pages.addTab(self.panel, "Forwarding")
        window.detail.addTab(self.view, "Forwarded")
        window.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.again = QAction("Forward again", window)
        self.again.setToolTip("Deliver the selected captures again to the forward targets")
        self.again.triggered.connect(lambda: self.forward_again(window.selected_ids()))
        self.again_all = QAction("Forward every capture shown again", window)
        self.again_all.triggered.connect(self.forward_shown)
        for action in (self.again, self.again_all):
            window.table.addAction(action)
        edit = next(
            (m for a in window.menuBar().actions() if a.text() == "&Edit"
             and isinstance(m := a.menu(), QMenu)),
            None,
        )  # fmt: skip
        if edit is not None:
            edit.addSeparator()
            edit.addAction(self.again)
            edit.addAction(self.again_all)
        forwarding.subscribe(lambda _event: self._attempted())
        self._refresh_view = False

    def forward_again(self, ids: list[int]) -> int:
        window = self.window
        if not window.session.forwarding.targets:
            window.statusBar().showMessage("Add a forward target in the Forwarding tab first", 5000)
            return 0
        queued = window.session.forwarding.forward_again(ids)
        window.statusBar().showMessage(f"queued {queued} deliveries", 5000)
        self.column.forget()
        return queued

    def forward_shown(self) -> int:
        model = self.window.model
        return self.forward_again([model.summary(row).id for row in range(model.rowCount())])

    def _current_changed(self, current: object, _previous: object) -> None:
        from PySide6.QtCore import QModelIndex

        if isinstance(current, QModelIndex) and current.isValid():
            self.view.show_capture(self.window.model.summary(current.row()).id)
        else:
            self.view.show_capture(None)

    def _attempted(self) -> None:
        # The forwarder's thread: only a flag; the view refreshes on the GUI thread's timer.
        self._refresh_view = True


def install(window: MainWindow) -> Forwarding:
    """Add forwarding to the window (its one hook); returns what was added."""
    added = Forwarding(window)
    added.panel.refreshed.connect(lambda: _refresh_view(added))  # once a second
    return added


def _refresh_view(added: Forwarding) -> None:
    if added._refresh_view:
        added._refresh_view = False
        added.view.refresh()
