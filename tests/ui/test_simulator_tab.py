"""The retry simulator inside the app: built when its tab is first opened, aimed at the app's
own receiver, and shut down with the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RunAsync, RunningApp


def test_simulator_tab_is_built_on_first_open(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            assert window.simulator is None  # not built until needed
            window.pages.setCurrentIndex(window.pages.indexOf(window._simulator_page))
            panel = window.simulator
            assert panel is not None
            assert panel.isVisible()
            assert window.simulator_panel() is panel  # built once
            assert panel.live.url.text().startswith(app.url)
            # It opens on a scenario with retries: Svix's first four attempts.
            assert [a.at_s for a in panel.timeline_a.attempts] == [0.0, 5.0, 305.0, 2105.0]

    run_async(scenario())
