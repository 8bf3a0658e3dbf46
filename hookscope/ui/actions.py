"""The window's actions, their keys and its menus.

Keys that act on captures (Delete, Ctrl+C, Ctrl+Z) belong to the capture table only: while
text or an editor has focus, they do what they do there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from hookscope.ui.capture_actions import CaptureActions
from hookscope.ui.widgets.help_pages import install_help

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["WindowActions"]


class WindowActions:
    def __init__(self, window: MainWindow, do: CaptureActions) -> None:
        self.w = window
        keys = QKeySequence.StandardKey
        table = True
        self.copy_curl = self._action(
            "Copy as curl", lambda: do.copy_as("curl"), keys.Copy,
            "Copy the selected captures as curl commands", table_key=table,
        )  # fmt: skip
        self.save_body = self._action(
            "Save body…", do.save_body_as, keys.Save,
            "Save the selected capture's body, exactly as received",
        )  # fmt: skip
        self.copy_httpie = self._action("Copy as HTTPie", lambda: do.copy_as("httpie"))
        self.copy_python = self._action("Copy as Python (httpx)", lambda: do.copy_as("python"))
        self.redact_copies = QAction("Redact copies", window, checkable=True)
        self.redact_copies.setStatusTip(
            "Mask Authorization, cookies, signatures and secret-looking fields in what you copy"
        )
        self.replay = self._action(
            "Replay to…", do.replay_to, "Ctrl+R",
            "Send the selected captures again, byte for byte, to a URL",
        )  # fmt: skip
        self.edit_resend = self._action(
            "Edit and resend", do.edit_and_resend, "Ctrl+Shift+R",
            "Open the capture in the composer, re-signed on send",
        )  # fmt: skip
        self.compare = self._action(
            "Compare two captures", do.compare_selected, "Ctrl+K",
            "What differs between the two selected captures (JSON compared by path)",
        )  # fmt: skip
        self.delete = self._action(
            "Delete", do.delete_selected, keys.Delete, "Delete (undo with Ctrl+Z)", table_key=table
        )
        self.undo_delete = self._action(
            "Undo delete", window.undo_bar.undo, keys.Undo, table_key=table
        )
        self.clear = self._action("Clear all…", do.clear_all, "Ctrl+L")
        self.star = self._action("Star", do.toggle_star, "Ctrl+D")
        self.note = self._action("Note…", do.edit_note, "F2")
        self.find = self._action("Filter", window.filtering.focus, keys.Find)
        self.export = self._action(
            "Export…", do.export_captures, "Ctrl+E", "Export selected, filtered or all captures"
        )
        self.import_ = self._action(
            "Import…", do.choose_import, "Ctrl+I",
            "Import a HAR or NDJSON file (or drop one on the window)",
        )  # fmt: skip
        self.quit = self._action("Quit", window.request_quit, keys.Quit)
        self.newest_first = QAction("Newest first", window, checkable=True, checked=True)
        self.newest_first.toggled.connect(window.model.set_newest_first)
        model = window.model  # sorting from the header may flip the order
        model.layoutChanged.connect(lambda: self.newest_first.setChecked(model.newest_first))
        self.follow = QAction("Follow new captures", window, checkable=True, checked=True)
        self.signature_settings = self._action(
            "Signature settings…", window.signatures.edit, "Ctrl+Shift+S",
            "Secrets and schemes that verify captures, per path pattern",
        )  # fmt: skip
        self._menus()

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: Any = None,
        tip: str = "",
        *,
        table_key: bool = False,
    ) -> QAction:
        """A window-wide action; with `table_key`, its key works only while the capture table
        has focus (Delete, Ctrl+C, Ctrl+Z belong to whatever text or editor has focus)."""
        action = QAction(text, self.w)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if table_key:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.w.table.addAction(action)
        else:
            self.w.addAction(action)
        return action

    def _menus(self) -> None:
        menus = self.w.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (self.save_body, self.export, self.import_):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = menus.addMenu("&Edit")
        copies = [self.copy_curl, self.copy_httpie, self.copy_python]
        for action in (*copies, self.redact_copies):
            edit.addAction(action)
        edit.addSeparator()
        for action in (self.replay, self.edit_resend, self.compare, self.star, self.note,
                       self.find, self.signature_settings):  # fmt: skip
            edit.addAction(action)
        edit.addSeparator()
        for action in (self.delete, self.undo_delete, self.clear):
            edit.addAction(action)
        view = menus.addMenu("&View")
        view.addAction(self.newest_first)
        view.addAction(self.follow)
        self.help_pages = install_help(self.w, menus.addMenu("&Help"))
        table = self.w.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        rows = [self.replay, self.edit_resend, self.compare, self.save_body, self.star, self.note]
        for action in (*copies, *rows, self.delete):
            table.addAction(action)
