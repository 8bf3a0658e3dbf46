from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from hookscope.ui.simulator import SimulatorPanel


@pytest.fixture(autouse=True)
def _shut_panels_down(qapp: QApplication) -> Iterator[None]:
    # As the app does on quit: stop background work and release pyqtgraph's views, so that
    # no panel of one test is still registered when the next test draws.
    yield
    for widget in QApplication.allWidgets():
        if isinstance(widget, SimulatorPanel):
            widget.shutdown()
