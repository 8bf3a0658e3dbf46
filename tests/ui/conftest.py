from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from hookscope.ui.app import GuiOptions, run_window
from hookscope.ui.widgets.main_window import MainWindow

RunAsync = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The app's settings (geometry, port, filter) go to a test folder, never the user's.
    monkeypatch.setenv("HOOKSCOPE_CONFIG_DIR", str(tmp_path / "config"))


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_background_errors() -> Iterator[None]:
    # A task started with spawn() that fails only logs (the app must go on); asyncio logs a
    # failed callback or an unretrieved task error. In a test, any of these is a failure.
    errors = _Errors()
    loggers = [logging.getLogger(name) for name in ("hookscope.ui.asyncqt", "asyncio")]
    for logger in loggers:
        logger.addHandler(errors)
    yield
    for logger in loggers:
        logger.removeHandler(errors)
    if errors.records:
        lines = []
        for record in errors.records:
            exc = record.exc_info[1] if record.exc_info else None
            lines.append(f"{record.getMessage()}: {exc!r}" if exc else record.getMessage())
        pytest.fail("background errors:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    # As the app does (hookscope.ui.gc_guard): no automatic collection, which could free a
    # Qt object on a worker thread; collect here, on the GUI thread, after each test.
    enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if enabled:
        gc.enable()


@pytest.fixture
def run_async(qapp: QApplication) -> Iterator[RunAsync]:
    """run_async(coro) runs it to completion on a real qasync loop over the test QApplication."""
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qapp)) as runner:
        yield runner.run


async def eventually(predicate: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


class RunningApp:
    """The real app (run_window) running as a task on the test's qasync loop."""

    def __init__(self, qapp: QApplication, db: Path, port: int = 0) -> None:
        self.qapp = qapp
        self.options = GuiOptions(db=db, host="127.0.0.1", port=port, max_body=10 * 1024 * 1024)
        self.window: MainWindow | None = None
        self.task: asyncio.Task[int] | None = None

    async def __aenter__(self) -> RunningApp:
        ready = asyncio.Event()

        def on_ready(window: MainWindow) -> None:
            self.window = window
            ready.set()

        self.task = asyncio.ensure_future(  # noqa: TID251 (held in self.task)
            run_window(self.qapp, self.options, on_ready)
        )
        await asyncio.wait_for(ready.wait(), 10)
        return self

    @property
    def url(self) -> str:
        assert self.window is not None
        return self.window.session.url

    async def quit(self) -> int:
        assert self.window is not None
        assert self.task is not None
        self.window.request_quit()
        return await asyncio.wait_for(self.task, 10)

    async def __aexit__(self, *exc: object) -> None:
        if self.task is not None and not self.task.done():
            await self.quit()
