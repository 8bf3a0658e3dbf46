"""Keys act on the widget that has focus: Delete and Ctrl+C touch captures only from the
capture table; text views and editors keep their own keys; deleting captures can be undone."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from hookscope.ui.widgets.main_window import MainWindow
from tests.ui.conftest import RunAsync, RunningApp, eventually


async def _with_captures(app: RunningApp, count: int) -> MainWindow:
    window = app.window
    assert window is not None
    window.activateWindow()
    for n in range(count):
        await asyncio.to_thread(
            httpx.post,
            f"{app.url}/k/{n}",
            content=b'{"n":%d,"word":"kept"}' % n,
            headers={"Content-Type": "application/json"},
        )
    await eventually(lambda: window.model.rowCount() == count)
    return window


async def _press(widget: QWidget, key: Any, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    # The loop runs Qt's events: no processEvents() here, which would re-enter asyncio tasks.
    widget.setFocus()
    await asyncio.sleep(0.02)
    QTest.keyClick(widget, key, modifier)
    await asyncio.sleep(0.02)


def test_delete_in_the_composer_headers_keeps_the_capture(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = await _with_captures(app, 2)
            window.select_id(window.model.summary(0).id)
            window.pages.setCurrentWidget(window.composer)
            headers = window.composer.headers.table
            headers.setCurrentCell(0, 1)
            await _press(headers, Qt.Key.Key_Delete)
            await asyncio.sleep(0.1)
            assert window.model.rowCount() == 2
            assert window.store.count() == 2

    run_async(scenario())


def test_delete_in_the_raw_body_keeps_the_capture(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = await _with_captures(app, 2)
            window.select_id(window.model.summary(0).id)
            await eventually(lambda: window.detail.body.current_view() == "tree")
            window.detail.setCurrentWidget(window.detail.body)
            window.detail.body.select_view("raw")
            await _press(window.detail.body.raw, Qt.Key.Key_Delete)
            await asyncio.sleep(0.1)
            assert window.model.rowCount() == 2
            assert window.store.count() == 2

    run_async(scenario())


def test_ctrl_c_in_pretty_copies_the_selected_text(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = await _with_captures(app, 1)
            window.select_id(window.model.summary(0).id)
            await eventually(lambda: window.detail.body.current_view() == "tree")
            window.detail.setCurrentWidget(window.detail.body)
            window.detail.body.select_view("pretty")
            pretty = window.detail.body.pretty
            found = pretty.document().find('"kept"')
            assert not found.isNull()
            pretty.setTextCursor(found)
            QGuiApplication.clipboard().setText("")
            await _press(pretty, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
            assert QGuiApplication.clipboard().text() == '"kept"'

    run_async(scenario())


def test_keys_on_the_capture_table_copy_delete_and_undo(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = await _with_captures(app, 3)
            ids = sorted(window.model.summary(r).id for r in range(3))
            window.store.set_note(ids[0], "keep me")
            window.store.set_starred(ids[0], True)
            await eventually(lambda: any(window.model.summary(r).starred for r in range(3)))
            window.table.selectAll()
            QGuiApplication.clipboard().setText("")
            await _press(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
            await eventually(lambda: QGuiApplication.clipboard().text().count("curl ") == 3)
            await _press(window.table, Qt.Key.Key_Delete)
            await eventually(lambda: window.model.rowCount() == 0)
            assert "3 captures deleted" in window.statusBar().currentMessage()
            assert window.undo_bar.button.isVisible()
            await _press(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            await eventually(lambda: window.model.rowCount() == 3)
            assert sorted(window.model.summary(r).id for r in range(3)) == ids
            restored = window.store.get(ids[0])
            assert restored is not None
            assert (restored.note, restored.starred) == ("keep me", True)
            assert window.store.count() == 3
            # Without an undo, the delete becomes real once the window for it has passed.
            window.select_id(ids[1])
            await _press(window.table, Qt.Key.Key_Delete)
            await eventually(lambda: window.model.rowCount() == 2)
            assert "capture deleted" in window.statusBar().currentMessage()
            window.undo_bar.commit_all()
            await eventually(lambda: window.store.count() == 2)
            assert window.store.get(ids[1]) is None

    run_async(scenario())


def test_a_pending_delete_is_done_before_the_app_quits(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    from hookscope.core.store import Store

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = await _with_captures(app, 2)
            window.select_id(window.model.summary(0).id)
            await _press(window.table, Qt.Key.Key_Delete)
            await eventually(lambda: window.model.rowCount() == 1)

    run_async(scenario())
    with Store.open(tmp_path / "c.db") as store:
        assert store.count() == 1
