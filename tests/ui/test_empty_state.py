"""An empty table teaches: the receiver URL, a curl command that works as it is, and a sample
event that shows a row, a JSON tree and a ✓ at once."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from PySide6.QtWidgets import QApplication

from hookscope.core.signature_settings import SignatureSettings, default_settings_path
from hookscope.core.verdicts import VALID
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_the_curl_example_works_as_shown(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            assert window.table_stack.currentWidget() is window.empty_state
            assert app.url in window.empty_state.url.text()
            command = window.empty_state.command()
            result = await asyncio.to_thread(
                subprocess.run, ["sh", "-c", command], capture_output=True, timeout=30
            )
            assert result.returncode == 0, result.stderr
            await eventually(lambda: window.model.rowCount() == 1)
            await eventually(lambda: window.table_stack.currentWidget() is window.table)
            capture = window.store.get(window.model.summary(0).id)
            assert capture is not None
            assert capture.body == b'{"event":"hello","amount":4200}'

    run_async(scenario())


def test_the_sample_event_shows_a_row_a_tree_and_a_tick(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            window.empty_state.sample.click()
            await eventually(lambda: window.model.rowCount() == 1)
            await eventually(lambda: window.detail.body.current_view() == "tree")
            row = window.model.summary(0)
            await eventually(lambda: window.verdicts.symbol(row) == VALID)
            saved = SignatureSettings.load(default_settings_path())
            setting = saved.for_path(row.path)
            assert setting is not None
            assert setting.scheme == "standard-webhooks"

    run_async(scenario())
