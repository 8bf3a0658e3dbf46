"""The GUI thread never waits for the store: the window's writes, its first page of history,
the captures its actions read and event-type detection of new captures all run on workers."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from hookscope.core import eventtype
from hookscope.core.store import Store
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_store_calls_and_event_types_stay_off_the_gui_thread(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = threading.get_ident()
    seen: dict[str, set[int]] = defaultdict(set)

    def spy(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name].add(threading.get_ident())
            return fn(*args, **kwargs)

        return wrapper

    for name in ("summaries", "set_starred", "delete", "clear", "get", "iter_captures"):
        monkeypatch.setattr(Store, name, spy(name, getattr(Store, name)))
    detect = eventtype.event_type_from_headers
    monkeypatch.setattr(eventtype, "event_type_from_headers", spy("event type", detect))

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for n in range(2):
                await asyncio.to_thread(httpx.post, f"{app.url}/t/{n}", content=b"{}")
            await eventually(lambda: window.model.rowCount() == 2)
            window.select_id(window.model.summary(0).id)
            assert "curl " in await window.copy_as("curl")
            await window.edit_and_resend()
            window.pages.setCurrentIndex(0)
            window.toggle_star()
            await eventually(lambda: window.model.summary(0).starred)
            window.delete_selected()
            window.undo_bar.commit_all()
            await eventually(lambda: window.store.count() == 1)
            window.clear_all()
            window._confirm.done(QMessageBox.StandardButton.Discard)
            await eventually(lambda: window.model.rowCount() == 0)

    run_async(scenario())
    wanted = {"summaries", "set_starred", "delete", "clear", "get", "iter_captures", "event type"}
    assert wanted <= set(seen)
    on_gui = sorted(name for name, threads in seen.items() if gui in threads)
    assert on_gui == []
