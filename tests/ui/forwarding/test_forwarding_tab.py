"""Forwarding in the app: a target added in the Forwarding tab delivers what the receiver gets,
the table's Handler column and the Forwarded tab show it, Forward again redelivers, pause holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from hookscope.ui.models.capture_table import COLUMNS
from tests.handler import Handler
from tests.ui.conftest import RunAsync, RunningApp, eventually


@pytest.fixture
def handler() -> Iterator[Handler]:
    running = Handler(status=500).start()
    yield running
    running.stop()


def test_a_queue_target_delivers_and_the_window_shows_each_attempt(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path, handler: Handler
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            ui = window.forwarding_ui
            panel = ui.panel
            assert window.pages.tabText(window.pages.indexOf(panel)) == "Forwarding"
            panel.url_edit.setText(handler.url)
            panel.path_edit.setText("/hooks/*")
            panel.mode.setCurrentText("queue")
            panel.retry.setCurrentText("fixed")  # 10 attempts, 10 s apart: one is enough here
            assert panel.add_target()
            async with httpx.AsyncClient() as client:
                answer = await client.post(f"{app.url}/hooks/a", content=b'{"a":1}')
            assert answer.status_code == 200  # hookscope's answer; the handler says 500
            await eventually(lambda: len(handler.received) == 1)
            model = window.model
            handler_column = COLUMNS.index("Handler")

            def cell() -> str:
                model.flush()  # the row may not be in the table yet when the handler has it
                if model.rowCount() == 0:
                    return ""
                return str(model.data(model.index(0, handler_column)) or "")

            await eventually(lambda: cell() == "→ 500")
            panel.refresh()
            assert panel.table.item(0, COLUMNS_PANEL["Failing"]).text() == "1"  # type: ignore[union-attr]

            window.table.selectRow(0)
            view = ui.view
            assert window.detail.tabText(window.detail.indexOf(view)) == "Forwarded"
            await eventually(lambda: view.table.rowCount() == 1)
            assert view.table.item(0, 3).text() == "500"  # type: ignore[union-attr]
            assert "POST " + handler.url + "/hooks/a" in view.exchange.toPlainText()

            # Pause, then Forward again: held until resumed, then delivered.
            panel.table.selectRow(0)
            panel.toggle_pause()
            assert panel.pause_button.text() == "Resume"
            handler.status = 200
            assert ui.forward_again(window.selected_ids()) == 1
            await eventually(lambda: cell() == "⏸")
            assert len(handler.received) == 1
            panel.toggle_pause()
            await eventually(lambda: len(handler.received) >= 2)
            await eventually(lambda: cell() == "→ 200")
            view.refresh()
            assert view.table.rowCount() >= 2

    run_async(scenario())


COLUMNS_PANEL = {name: i for i, name in enumerate(
    ("Name", "Path", "URL", "Mode", "Retry", "State", "Pending", "Delivered", "Failing", "Failed")
)}  # fmt: skip


def test_forward_again_without_a_target_says_where_to_add_one(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            assert window.forwarding_ui.forward_again([1]) == 0
            assert "Forwarding tab" in window.statusBar().currentMessage()

    run_async(scenario())
