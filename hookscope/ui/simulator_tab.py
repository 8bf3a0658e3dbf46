"""The retry simulator's tab, built the first time it is opened: most sessions never open it,
and the window shows sooner without it (and without pyqtgraph)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from hookscope.ui.simulator import SimulatorPanel

__all__ = ["SimulatorTab", "show_load_error"]


class SimulatorTab:
    def __init__(self, pages: QTabWidget, index: int, receiver_url: Callable[[], str]) -> None:
        self.pages = pages
        self.receiver_url = receiver_url
        self.panel: SimulatorPanel | None = None
        self.page = QWidget()
        QVBoxLayout(self.page).setContentsMargins(0, 0, 0, 0)
        pages.insertTab(index, self.page, "Retry simulator")
        pages.currentChanged.connect(self._page_shown)

    def _page_shown(self, index: int) -> None:
        page = self.pages.widget(index)
        if page is self.page and self.panel is None and not page.findChildren(QLabel):
            try:
                self.build()
            except Exception as exc:  # any failure: say it in the tab rather than leave it blank
                show_load_error(page, "The retry simulator", exc)

    def build(self) -> SimulatorPanel:
        if self.panel is None:
            from hookscope.ui.simulator import SimulatorPanel  # pyqtgraph: loaded on first use

            self.panel = SimulatorPanel(receiver_url=self.receiver_url())
            # A first look that shows retries (three failures), not one lone success.
            self.panel.scenario_editor.fail_first.setValue(3)
            layout = self.page.layout()
            assert layout is not None
            layout.addWidget(self.panel)
            self.panel.show()  # a child added to a page already on screen starts hidden
        return self.panel


def show_load_error(page: QWidget, what: str, exc: Exception) -> None:
    traceback.print_exception(exc)  # the full story for a bug report, on stderr
    label = QLabel(
        f"{what} could not be loaded.\n\n{type(exc).__name__}: {exc}\n\n"
        "The rest of hookscope works; reinstalling it may bring back what is missing."
    )
    label.setObjectName("loadError")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout = page.layout()
    assert layout is not None
    layout.addWidget(label)
    label.show()  # a child added to a page already on screen starts hidden
