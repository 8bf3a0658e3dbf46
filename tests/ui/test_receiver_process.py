"""The window and its receiver process: the window's captures come from a process of its own,
a crash of that process is said in the status bar, and receiving goes on after its restart."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.isolation import IsolatedSession
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_a_crashed_receiver_process_is_said_and_receiving_goes_on(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            session = window.session
            assert isinstance(session, IsolatedSession)  # the app receives in a child
            async with httpx.AsyncClient(timeout=30) as client:
                assert (await client.post(f"{app.url}/before", content=b"1")).status_code == 200
                await eventually(lambda: window.model.rowCount() == 1)
                pid = session.receiver_host.pid
                assert pid is not None
                assert pid != os.getpid()
                os.kill(pid, signal.SIGKILL)
                status = window.statusBar()
                await eventually(lambda: "killed by signal 9" in status.currentMessage())
                answer = await client.post(f"{app.url}/after", content=b"2")
                assert answer.status_code == 200
            await eventually(lambda: window.model.rowCount() == 2)
            assert session.receiver_host.pid != pid
            targets = {window.model.summary(row).target for row in range(2)}
            assert targets == {"/before", "/after"}

    run_async(scenario())
