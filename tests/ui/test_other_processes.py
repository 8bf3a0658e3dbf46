"""An import from the command line into the store of the open app shows up in its table."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication

from hookscope.core.record import to_json_line
from tests.core.factories import make_capture
from tests.helpers import run_cli
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_a_cli_import_into_the_open_apps_store_appears_in_the_table(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    lines = [to_json_line(make_capture(target=f"/imported/{i}")) for i in range(3)]
    (tmp_path / "in.ndjson").write_text("\n".join(lines) + "\n")

    async def scenario() -> None:
        async with RunningApp(qapp, db) as app:
            window = app.window
            assert window is not None
            done = await asyncio.to_thread(
                run_cli, "import", str(tmp_path / "in.ndjson"), "--db", str(db)
            )
            assert done.returncode == 0, done.stderr

            def shown() -> list[str]:
                window.model.flush()
                return sorted(r.target for r in window.view.all_rows)

            await eventually(lambda: shown() == [f"/imported/{i}" for i in range(3)])
            await eventually(lambda: window.model.rowCount() == 3)

    run_async(scenario())
