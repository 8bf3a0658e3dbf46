"""The Help menu: the filter language, the keys and the version, as formatted pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTextBrowser

from hookscope import __version__
from hookscope.core.filters.help import help_rows
from tests.ui.conftest import RunAsync, RunningApp


def test_help_menu_pages_are_formatted(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
            entries = [a.text() for a in help_menu.actions()]
            assert entries == ["Filter language", "Keyboard shortcuts", "About hookscope"]
            f1 = help_menu.actions()[0]
            assert f1.shortcut().toString() == "F1"
            f1.trigger()
            browser = window.findChild(QTextBrowser, "helpBrowser")
            assert browser is not None
            assert browser.isVisible()
            document = browser.toHtml()
            assert "<table" in document  # not a plain-text dump
            text = browser.toPlainText()
            assert "Fields (name:value; names in any case)" in text
            assert "Examples" in text
            for example, meaning in help_rows():
                assert example in text
                assert meaning in text
            keys: QAction = help_menu.actions()[1]
            keys.trigger()
            text = browser.toPlainText()
            assert "Compare two captures" in text
            assert "Ctrl+K" in text
            assert "Shift+F3" in text
            help_menu.actions()[2].trigger()
            assert f"hookscope {__version__}" in browser.toPlainText()

    run_async(scenario())
