"""The app's shell: its id for the desktop, its settings file, its first window, its tabs."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel

from hookscope.core.paths import config_dir
from tests.helpers import ROOT
from tests.ui.conftest import RunAsync, RunningApp

APP_ID = "io.github.hookscope.Hookscope"


def test_desktop_file_name_is_the_desktop_entry_id(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    # Desktops match a window to its launcher (icon, name, pinning) by this id.
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db"):
            assert qapp.desktopFileName() == APP_ID

    run_async(scenario())
    assert (ROOT / "packaging" / "linux" / f"{APP_ID}.desktop").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_ui_settings_are_owner_only(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    # ui.ini holds the replay URL and the filter text: not for other users to read.
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            assert app.window is not None
            app.window.set_filter_text("path:/private")

    run_async(scenario())
    ui_ini = config_dir() / "ui.ini"
    assert "path:/private" in ui_ini.read_text()
    assert stat.S_IMODE(ui_ini.stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_ui_settings_made_readable_before_are_tightened(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    ui_ini = config_dir() / "ui.ini"
    ui_ini.parent.mkdir(parents=True, exist_ok=True)
    ui_ini.write_text("[General]\nport=0\n")
    ui_ini.chmod(0o644)

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db"):
            pass

    run_async(scenario())
    assert stat.S_IMODE(ui_ini.stat().st_mode) == 0o600


def test_first_window_fits_the_screen(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            screen = window.screen().availableGeometry()
            frame = window.frameGeometry()
            # The offscreen test screen is 800x800, narrower than the window can be made (its
            # minimum width); a window that can fit, fits, and none asks for 1500x900.
            assert frame.height() <= screen.height()
            assert window.width() <= max(screen.width(), window.minimumSizeHint().width())
            assert screen.contains(frame.topLeft())

    run_async(scenario())


def test_fit_rect_shrinks_and_centres_a_window_too_large_for_the_screen() -> None:
    from hookscope.ui.placement import fit_rect

    screen = QRect(0, 0, 1400, 900)
    fitted = fit_rect(QRect(0, 0, 1500, 900), screen)
    assert screen.contains(fitted)
    assert fitted.width() < 1400
    assert fitted.height() < 900
    assert abs(fitted.center().x() - screen.center().x()) <= 1
    # A window that fits stays exactly where and as large as it was.
    assert fit_rect(QRect(10, 20, 1200, 800), screen) == QRect(10, 20, 1200, 800)
    # One left on a monitor that is gone comes back onto this one.
    assert screen.contains(fit_rect(QRect(3000, 100, 800, 600), QRect(0, 0, 1400, 900)))


def test_a_tab_whose_import_fails_shows_the_error(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A missing piece (pyqtgraph, a Qt module left out of a build) must not leave a blank tab.
    monkeypatch.setitem(sys.modules, "hookscope.ui.simulator", None)

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            window.pages.setCurrentIndex(window.pages.indexOf(window._simulator_page))
            labels = window._simulator_page.findChildren(QLabel)
            texts = " ".join(label.text() for label in labels)
            assert "could not be loaded" in texts
            assert "hookscope.ui.simulator" in texts  # the import error itself
            assert window.simulator is None
            window.pages.setCurrentIndex(0)  # the rest of the app still works
            window.pages.setCurrentIndex(window.pages.indexOf(window._simulator_page))
            assert len(window._simulator_page.findChildren(QLabel)) == len(labels)  # once

    run_async(scenario())
