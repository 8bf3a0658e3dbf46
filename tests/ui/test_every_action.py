"""Every menu action runs without error on selected captures, and every dialog it opens is
accepted as a user would (OK, Save, Delete all), so the work behind each dialog runs too. A
slot that raises fails the test (pytest-qt reports exceptions in Qt callbacks), and so does a
task that fails in the background (tests/ui/conftest.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
)

from tests.ui.conftest import RunAsync, RunningApp, eventually

SKIPPED = {"Quit"}  # ends the app: covered by the shutdown tests
LAST = "Clear all…"  # accepted, it empties the table: run it after everything else

_ACCEPTING = (
    QDialogButtonBox.ButtonRole.AcceptRole,
    QDialogButtonBox.ButtonRole.YesRole,
    QDialogButtonBox.ButtonRole.ApplyRole,
)


def accept(dialog: QDialog, folder: Path) -> str:
    """Press what a user presses to go ahead; returns what was done, for the failure message."""
    if isinstance(dialog, QFileDialog):
        dialog.setDirectory(str(folder))  # never the user's home; a save keeps its name
        if dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen:
            if not (folder / "export.har").exists():
                dialog.reject()
                return "rejected (nothing to open)"
            dialog.selectFile("export.har")
        dialog.accept()
        return f"accepted {dialog.selectedFiles()}"
    path = getattr(dialog, "path", None)
    if isinstance(path, QLineEdit):  # the export dialog: never into the user's home
        path.setText(str(folder / "export.har"))
    if isinstance(dialog, QMessageBox):
        for button in dialog.buttons():
            role = dialog.buttonRole(button)
            if role in (QMessageBox.ButtonRole.DestructiveRole, QMessageBox.ButtonRole.AcceptRole):
                button.click()
                return f"clicked {button.text()}"
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) in _ACCEPTING and button.isEnabled():
                button.click()
                return f"clicked {button.text()}"
    dialog.accept()
    return "accepted"


def test_every_action_runs_and_its_dialog_is_accepted(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for n in range(2):
                await asyncio.to_thread(httpx.post, f"{app.url}/a/{n}", content=b'{"n":%d}' % n)
            await eventually(lambda: window.model.rowCount() == 2)
            actions = list(dict.fromkeys([*window.actions(), *window.table.actions()]))
            actions.sort(key=lambda action: action.text() == LAST)
            triggered: dict[str, list[str]] = {}
            for action in actions:
                if action.text() in SKIPPED or not action.isEnabled():
                    continue
                if window.model.rowCount():
                    window.table.selectAll()
                before = set(QApplication.topLevelWidgets())
                action.trigger()
                await asyncio.sleep(0.1)  # let what the action started run
                done = []
                for widget in QApplication.topLevelWidgets():
                    if isinstance(widget, QDialog) and widget.isVisible():
                        fresh = widget not in before
                        done.append(accept(widget, tmp_path) + ("" if fresh else " (again)"))
                        await asyncio.sleep(0.2)  # the work behind the dialog
                triggered[action.text()] = done
            for menu_action in window.menuBar().actions():
                for action in menu_action.menu().actions():
                    if action.isCheckable():
                        action.toggle()
                        action.toggle()
            for index in range(window.pages.count()):
                window.pages.setCurrentIndex(index)
                await asyncio.sleep(0.05)
            assert {"Copy as curl", "Compare two captures", "Export…", "Star"} <= set(triggered)
            for name in ("Export…", "Note…", "Replay to…", "Save body…", LAST):
                assert triggered[name], f"{name} opened no dialog"
            assert (tmp_path / "export.har").exists()
            saved = list(tmp_path.glob("capture-*.body"))  # noqa: ASYNC240  # a test's folder
            assert saved, triggered["Save body…"]
            await eventually(lambda: window.model.rowCount() == 0)  # Clear all, accepted
            for widget in QApplication.topLevelWidgets():  # anything still open
                if widget is not window and widget.isVisible():
                    widget.close()

    run_async(scenario())
