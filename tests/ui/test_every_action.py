"""Every menu action runs without error on a selected capture (a smoke test over the whole
window: a slot that raises fails the test, as pytest-qt reports exceptions in Qt callbacks)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RunAsync, RunningApp, eventually

SKIPPED = {"Quit"}  # ends the app: covered by the shutdown tests


def test_every_action_runs(qapp: QApplication, run_async: RunAsync, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for n in range(2):
                await asyncio.to_thread(httpx.post, f"{app.url}/a/{n}", content=b'{"n":%d}' % n)
            await eventually(lambda: window.model.rowCount() == 2)
            window.table.selectAll()
            triggered = []
            for action in [*window.actions(), *window.table.actions()]:
                if action.text() in SKIPPED or not action.isEnabled():
                    continue
                action.trigger()
                triggered.append(action.text())
                await asyncio.sleep(0.05)  # let what the action started run
            for menu_action in window.menuBar().actions():
                for action in menu_action.menu().actions():
                    if action.isCheckable():
                        action.toggle()
                        action.toggle()
            for index in range(window.pages.count()):
                window.pages.setCurrentIndex(index)
                await asyncio.sleep(0.05)
            assert {"Copy as curl", "Compare two captures", "Export…", "Star"} <= set(triggered)
            for widget in QApplication.topLevelWidgets():  # dialogs the actions opened
                if widget is not window and widget.isVisible():
                    widget.close()

    run_async(scenario())
