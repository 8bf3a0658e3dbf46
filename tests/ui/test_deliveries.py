"""Retries and redeliveries of one event: the Summary tab names the event's id and finds
every capture that carries it (nothing is ever merged away)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_every_delivery_of_an_event(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for delivery in ("72d3162e", "99aa0001", "72d3162e"):  # the first is redelivered
                await asyncio.to_thread(
                    httpx.post,
                    app.url + "/hooks/github",
                    content=b'{"ref":"main"}',
                    headers={"X-GitHub-Event": "push", "X-GitHub-Delivery": delivery},
                )
            await eventually(lambda: window.model.rowCount() == 3)
            window.select_id(window.model.summary(0).id)
            summary = window.detail.summary
            await eventually(lambda: "every delivery of this event" in summary.toHtml())
            assert "GitHub delivery id" in summary.toPlainText()
            summary.anchorClicked.emit(QUrl("deliveries"))
            await eventually(lambda: window.model.rowCount() == 2)
            assert window.filter_bar.edit.text() == 'header:X-GitHub-Delivery="72d3162e"'
            assert {window.model.summary(r).id for r in range(2)} == {1, 3}

    run_async(scenario())
