"""Colours and plot styling shared by the simulator's plots, in step with the app's palette.

Outcome colours are mid-tone so that they read on both the dark and the light palette; the plot
background and text follow the palette's Base and Text roles."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from hookscope.core.retry import Attempt, Outcome
from hookscope.ui.simulator.plotlib import pg

__all__ = [
    "ERROR_COLOR",
    "OUTAGE_COLOR",
    "OUTCOME_COLORS",
    "SERIES_COLORS",
    "attempt_symbol",
    "is_refused",
    "style_plot",
]

OUTCOME_COLORS = {
    Outcome.SUCCESS: QColor("#2e9e5b"),
    Outcome.FAILURE: QColor("#d0443a"),
    Outcome.TIMEOUT: QColor("#d9941e"),
}
OUTAGE_COLOR = QColor(208, 68, 58, 48)  # translucent red: attempts stay visible on top
ERROR_COLOR = "#d0443a"
SERIES_COLORS = (QColor("#3f7fe8"), QColor("#b062d8"))  # policy A, policy B (herd plots)


def is_refused(attempt: Attempt) -> bool:
    """Nothing answered and nothing was waited for: the receiver was down."""
    return attempt.status is None and attempt.outcome is Outcome.FAILURE


def attempt_symbol(attempt: Attempt) -> str:
    """pyqtgraph symbol names: a dot for an answer, a cross for refused, a diamond for timeout."""
    if attempt.outcome is Outcome.TIMEOUT:
        return "d"
    return "x" if is_refused(attempt) else "o"


def style_plot(plot: pg.PlotWidget, palette: QPalette) -> None:
    """Background, axes and labels in the palette's colours."""
    text = palette.color(QPalette.ColorRole.Text)
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    muted = QColor(text)
    muted.setAlpha(150)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(muted))
        axis.setTextPen(pg.mkPen(text))
