"""Export and import from the app: the dialog writes real files; dropped files import."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from hookscope.core.formats import ExportOptions
from hookscope.core.store import Store
from hookscope.ui.widgets.export_dialog import (
    ExportCancelledError,
    ExportDialog,
    ExportScope,
    export_to_file,
)
from tests.core.factories import make_capture
from tests.ui.conftest import RunAsync, RunningApp, eventually

TOKEN = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"


def stored(tmp_path: Path, count: int = 3) -> Store:
    store = Store.open(tmp_path / "c.db")
    store.add_many(
        [
            make_capture(target=f"/e/{i}", headers=(("Authorization", f"Bearer {TOKEN}"),))
            for i in range(count)
        ]
    )
    return store


def test_dialog_exports_the_chosen_scope_redacted(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    store = stored(tmp_path)
    out = tmp_path / "out.ndjson"

    async def scenario() -> None:
        dialog = ExportDialog(store, ExportScope([2], [1, 2], [1, 2, 3]), "http://127.0.0.1:9")
        dialog.format.setCurrentIndex(dialog.format.findData("ndjson"))
        shown = next(b for b in dialog.scope_group.buttons() if b.property("scope") == "shown")
        shown.setChecked(True)
        dialog.path.setText(str(out))
        dialog.redact.setChecked(True)
        assert "Authorization" in dialog.preview.toPlainText()
        assert "REDACTED" in dialog.preview.toPlainText()
        dialog.start()
        await eventually(lambda: out.exists() and dialog.result() == 1)

    try:
        run_async(scenario())
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["target"] for r in records] == ["/e/0", "/e/1"]
        assert TOKEN not in out.read_text()
    finally:
        store.close()


def test_export_reports_progress_and_cancel_removes_the_file(tmp_path: Path) -> None:
    store = stored(tmp_path, count=450)
    try:
        seen: list[int] = []
        path = tmp_path / "all.har"
        count = export_to_file(
            store, list(range(1, 451)), "har", path, ExportOptions(), seen.append, threading.Event()
        )
        assert count == 450
        assert seen == [200, 400, 450]
        assert len(json.loads(path.read_text())["log"]["entries"]) == 450
        cancelled = threading.Event()
        cancelled.set()
        with pytest.raises(ExportCancelledError):
            export_to_file(
                store, [1, 2], "har", tmp_path / "gone.har", ExportOptions(), seen.append, cancelled
            )
        assert not (tmp_path / "gone.har").exists()
    finally:
        store.close()


def test_dropping_files_imports_them_and_bad_files_import_nothing(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    (tmp_path / "src").mkdir()
    source = stored(tmp_path / "src", count=4)
    good = tmp_path / "good.ndjson"
    from hookscope.core.formats import EXPORTERS

    with open(good, "wb") as out:
        EXPORTERS["ndjson"](source.iter_captures(), out, None)
    source.close()
    bad = tmp_path / "bad.ndjson"
    bad.write_text(good.read_text().splitlines()[0] + "\n{broken\n")

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "app.db") as app:
            window = app.window
            assert window is not None
            data = QMimeData()
            data.setUrls([QUrl.fromLocalFile(str(good))])
            event = QDropEvent(
                QPoint(5, 5),
                Qt.DropAction.CopyAction,
                data,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
            window.dropEvent(event)
            await eventually(lambda: window.model.rowCount() == 4)
            await window.import_files([bad])
            assert "line 2" in window.statusBar().currentMessage()
            await asyncio.sleep(0.1)
            assert window.store.count() == 4

    run_async(scenario())
