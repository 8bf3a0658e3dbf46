"""Copy as curl, HTTPie and Python from the table, with and without redaction; the curl text
runs with real curl and reproduces the body byte for byte."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RunAsync, RunningApp, eventually

TOKEN = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"


def test_copies_reproduce_bodies_and_redact_on_request(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    body = os.urandom(512) + b"\x00\xff"

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            await asyncio.to_thread(
                httpx.post,
                app.url + "/bin?x=1",
                content=body,
                headers={
                    "Authorization": f"Bearer {TOKEN}",
                    "Content-Type": "application/octet-stream",
                },
            )
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(window.model.summary(0).id)
            curl = await window.copy_as("curl")
            assert QApplication.clipboard().text() == curl
            assert TOKEN in curl
            assert f"| base64 -d | http POST '{app.url}/bin?x=1'" in await window.copy_as("httpie")
            assert "import httpx" in await window.copy_as("python")
            window.redact_copies.setChecked(True)
            assert TOKEN not in await window.copy_as("curl")
            assert TOKEN not in await window.copy_as("python")
            window.redact_copies.setChecked(False)
            result = await asyncio.to_thread(
                subprocess.run, ["sh", "-c", curl], capture_output=True, timeout=30
            )
            assert result.returncode == 0, result.stderr
            await eventually(lambda: window.store.count() == 2)
            replayed = window.store.get(2)
            assert replayed is not None
            assert replayed.body == body
            assert replayed.target == "/bin?x=1"

    run_async(scenario())
