"""The mouse wheel scrolls what is under it; a spin box or combo box takes the wheel only
once it has focus (clicked or tabbed into), everywhere in the app."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import RunAsync, RunningApp


def _wheel(widget: QWidget, notches: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_wheel_over_the_simulator_sidebar_scrolls_it(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            window.resize(1400, 700)
            window.pages.setCurrentWidget(window._simulator_page)
            panel = window.simulator_panel()
            await asyncio.sleep(0.1)
            status = panel.scenario_editor.fail_status
            bar = panel.sidebar.verticalScrollBar()
            assert bar.maximum() > 0  # the sidebar is taller than the window: it scrolls
            assert status.focusPolicy() == Qt.FocusPolicy.StrongFocus
            window.filter_bar.edit.setFocus()
            before = status.value()
            _wheel(status, -1)
            assert status.value() == before
            assert bar.value() > 0  # the wheel went to the sidebar
            status.setFocus()
            await asyncio.sleep(0.02)
            _wheel(status, 1)
            assert status.value() == before + 1  # focused: the wheel edits, as the user asked
            kind = panel.policy_a.kind
            window.filter_bar.edit.setFocus()
            chosen = kind.currentIndex()
            _wheel(kind, -1)
            assert kind.currentIndex() == chosen

    run_async(scenario())
