"""Compare two captures from the table: the differences, JSON by path."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_compare_two_selected_captures(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for body in (
                b'{"type":"order","amount":10,"lines":[1]}',
                b'{"lines": [1], "amount": 12, "type": "order"}',
            ):
                await asyncio.to_thread(httpx.post, app.url + "/o", content=body)
            await eventually(lambda: window.model.rowCount() == 2)
            assert window.compare_selected() is None  # nothing selected yet
            selection = window.table.selectionModel()
            flags = (
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )
            for row in (0, 1):
                selection.select(window.model.index(row, 0), flags)
            task = window.compare_selected()
            assert task is not None
            await task
            dialog = window._compare_dialog
            table = dialog.table
            rows = [
                tuple(table.item(r, c).text() for c in range(5)) for r in range(table.rowCount())
            ]
            assert rows == [
                ("header", "Content-Length", "changed", "40", "45"),
                ("body", "$.amount", "changed", "10", "12"),  # key order and spaces ignored
            ]
            assert "compared as JSON" in dialog.summary.text()
            dialog.close()

    run_async(scenario())
