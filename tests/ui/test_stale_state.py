"""Nothing outlives what it describes: details, searches, errors and statuses follow the
capture or the send they belong to."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_a_filter_that_hides_the_selected_capture_clears_its_details(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for path in ("/keep", "/hide"):
                await asyncio.to_thread(httpx.post, app.url + path, content=b'{"a":1}')
            await eventually(lambda: window.model.rowCount() == 2)
            hidden = next(
                window.model.summary(r).id
                for r in range(2)
                if "hide" in window.model.summary(r).path
            )
            window.select_id(hidden)
            await eventually(lambda: window.detail.capture is not None)
            window.show_query("path:/keep")
            await eventually(lambda: window.model.rowCount() == 1)
            await eventually(lambda: window.detail.capture is None)
            assert "Select a capture" in window.detail.summary.toPlainText()

    run_async(scenario())


def test_the_json_search_belongs_to_one_capture(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for n in range(2):
                await asyncio.to_thread(httpx.post, f"{app.url}/j/{n}", content=b'{"n":%d}' % n)
            await eventually(lambda: window.model.rowCount() == 2)
            body = window.detail.body
            window.select_id(window.model.summary(0).id)
            await eventually(lambda: body.current_view() == "tree")
            body.search.setText("n")
            window.select_id(window.model.summary(1).id)
            await eventually(lambda: window.detail.capture is not None)
            await eventually(lambda: body.current_view() == "tree" and body.search.text() == "")

    run_async(scenario())


def test_send_problems_replace_the_previous_answer(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            composer = window.composer
            composer.scheme.setCurrentIndex(0)  # not signed
            task = composer.send_now()
            assert task is not None
            await task
            assert composer.status.text().startswith("200")
            assert "sent: 200" in window.statusBar().currentMessage()
            # A signed send without a secret: said in red, with no old answer under it.
            composer.scheme.setCurrentIndex(composer.scheme.findData("stripe"))
            composer.secret.setText("")
            assert composer.send_now() is None
            assert composer.status.text().startswith("Not sent: enter the stripe secret")
            assert "#d0443a" in composer.status.styleSheet()
            assert composer.response_headers.rowCount() == 0
            # A refused connection is not "sent".
            composer.scheme.setCurrentIndex(0)
            composer.url.setText(f"http://127.0.0.1:{closed}/nobody")
            task = composer.send_now()
            assert task is not None
            await task
            assert "connection refused" in composer.status.text()
            assert window.statusBar().currentMessage().startswith("not sent:")
            # Edit and resend starts clean: the refusal was another request's.
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(window.model.summary(0).id)
            await window.edit_and_resend()
            assert "refused" not in composer.status.text()
            assert composer.response_headers.rowCount() == 0

    run_async(scenario())
