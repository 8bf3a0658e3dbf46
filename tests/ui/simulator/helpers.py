"""Reading and driving the simulator panel in tests."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from hookscope.ui.simulator import SimulatorPanel


def table_texts(model: Any, column: int) -> list[str]:
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def plotted(panel: SimulatorPanel, track: int) -> tuple[list[float], list[float]]:
    xs, ys = panel.plot.points(track).getData()
    return [float(x) for x in xs], [float(y) for y in ys]


def drag(widget: Any, start: QPoint, end: QPoint, modifiers: Qt.KeyboardModifier) -> None:
    """A real left-button drag on a QGraphicsView's viewport: press, moves, release.

    pyqtgraph drops mouse moves that come faster than its rate limit (100/s), so the moves are
    spread out a little; this paces the input, it is not a timed assertion."""
    viewport = widget.viewport()
    left = Qt.MouseButton.LeftButton

    def send(kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
        local = QPointF(at)
        event = QMouseEvent(
            kind, local, QPointF(viewport.mapToGlobal(at)), left, buttons, modifiers
        )
        QApplication.sendEvent(viewport, event)
        QApplication.processEvents()

    send(QEvent.Type.MouseButtonPress, start, left)
    steps = 8
    for step in range(1, steps + 1):
        time.sleep(0.02)
        at = QPoint(
            start.x() + (end.x() - start.x()) * step // steps,
            start.y() + (end.y() - start.y()) * step // steps,
        )
        send(QEvent.Type.MouseMove, at, left)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def view_point(panel: SimulatorPanel, x: float, y: float) -> QPoint:
    """Where plot coordinates (x, y) are on the timeline's viewport."""
    scene = panel.plot.view.mapViewToScene(QPointF(x, y))
    return panel.plot.mapFromScene(scene)
