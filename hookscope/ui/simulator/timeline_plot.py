"""Attempts on a time axis: one row (track) per policy, each attempt a marker coloured by its
outcome, outage windows shaded behind them.

Mouse: the wheel zooms time, a left drag pans it, Shift+left drag (or any left drag in draw mode)
draws a new outage window, and dragging a window or its edges moves it. The rows do not zoom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from hookscope.core.retry import Attempt, Outage, format_duration
from hookscope.ui.simulator.attempts_table import answer_text
from hookscope.ui.simulator.plotlib import pg
from hookscope.ui.simulator.style import (
    OUTAGE_COLOR,
    OUTCOME_COLORS,
    attempt_symbol,
    is_refused,
    style_plot,
)
from hookscope.ui.simulator.timescale import TimeAxis, TimeScale

__all__ = ["OutageDrawingViewBox", "TimelinePlot", "Track"]

_MIN_SPAN_S = 10.0
_LABEL_ROOM = 0.2  # share of the width kept right of the last attempt for its label


@dataclass(frozen=True, slots=True)
class Track:
    """One row: a policy's attempts and how its run ended (`summary`, shown after the last)."""

    name: str
    attempts: tuple[Attempt, ...]
    summary: str = ""


class OutageDrawingViewBox(pg.ViewBox):  # type: ignore[misc]  # pyqtgraph is untyped
    """A view box where a Shift+left drag (or any left drag in draw mode) draws a time window
    instead of panning. Reports the window in plot coordinates."""

    window_drawn: ClassVar[Signal] = Signal(float, float)

    def __init__(self) -> None:
        super().__init__()
        self.draw_mode = False
        self.preview = pg.LinearRegionItem(movable=False, brush=OUTAGE_COLOR)
        self.preview.setZValue(-5)
        self.preview.hide()
        self.addItem(self.preview, ignoreBounds=True)

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:  # noqa: N802
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        drawing = ev.button() == Qt.MouseButton.LeftButton and (self.draw_mode or shift)
        if not drawing or axis is not None:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        start = self.mapToView(ev.buttonDownPos()).x()
        now = self.mapToView(ev.pos()).x()
        low, high = min(start, now), max(start, now)
        self.preview.setRegion((low, high))
        self.preview.show()
        if ev.isFinish():
            self.preview.hide()
            if high > low:
                self.window_drawn.emit(low, high)


class TimelinePlot(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """`outage_drawn(start_s, end_s)` and `outage_moved(row, start_s, end_s)` are in seconds;
    `attempt_clicked(track, n)` when a marker is clicked."""

    outage_drawn: ClassVar[Signal] = Signal(float, float)
    outage_moved: ClassVar[Signal] = Signal(int, float, float)
    attempt_clicked: ClassVar[Signal] = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.view = OutageDrawingViewBox()
        self.axis = TimeAxis()
        super().__init__(parent, viewBox=self.view, axisItems={"bottom": self.axis})
        self.scale = TimeScale.LINEAR
        self.follow = True  # refit after each change until the user zooms or pans
        self._tracks: list[Track] = []
        self._outages: tuple[Outage, ...] = ()
        self._track_items: list[tuple[Any, Any, Any]] = []  # (line, scatter, label) per track
        self._regions: list[Any] = []
        item = self.getPlotItem()
        item.setMenuEnabled(False)  # its menu offers pyqtgraph's own log mode, not ours
        item.hideButtons()
        item.setMouseEnabled(x=True, y=False)
        item.showGrid(x=True, y=False, alpha=0.18)
        item.setLabel("bottom", "time since the first attempt")
        item.getAxis("left").setStyle(tickLength=0)
        self.view.setLimits(minXRange=1e-3)
        self.view.window_drawn.connect(self._on_window_drawn)
        self.view.sigRangeChangedManually.connect(self._stop_following)
        self.restyle(QApplication.palette())

    # -- data --------------------------------------------------------------------------------

    @property
    def tracks(self) -> tuple[Track, ...]:
        return tuple(self._tracks)

    def set_tracks(self, tracks: Sequence[Track]) -> None:
        self._tracks = list(tracks)
        self._draw_tracks()
        if self.follow:
            self.fit()

    def set_outages(self, outages: Sequence[Outage]) -> None:
        self._outages = tuple(outages)
        self._draw_outages()

    def set_scale(self, scale: TimeScale) -> None:
        if scale is self.scale:
            return
        self.scale = scale
        self.axis.set_scale(scale)
        self._draw_tracks()
        self._draw_outages()
        self.fit()

    def set_draw_mode(self, on: bool) -> None:
        self.view.draw_mode = on
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def points(self, track: int) -> Any:
        """The track's ScatterPlotItem: `getData()` gives the plotted x (in the scale) and y."""
        return self._track_items[track][1]

    def region_items(self) -> list[Any]:
        return list(self._regions)

    # -- view --------------------------------------------------------------------------------

    def fit(self) -> None:
        """Show every attempt and outage, with room for the end labels."""
        self.follow = True
        ends = [t.attempts[-1].at_s for t in self._tracks if t.attempts]
        ends += [o.end_s for o in self._outages]
        right = self.scale.point(max([_MIN_SPAN_S, *ends]))
        self.view.setXRange(-0.02 * right, right * (1 + _LABEL_ROOM), padding=0)
        rows = max(1, len(self._tracks))
        self.view.setYRange(-0.6, rows - 0.4, padding=0)

    def restyle(self, palette: QPalette) -> None:
        style_plot(self, palette)
        self._text = palette.color(QPalette.ColorRole.Text)
        self._draw_tracks()

    def _stop_following(self, *_: object) -> None:
        self.follow = False

    # -- drawing -----------------------------------------------------------------------------

    def _row_y(self, index: int) -> float:
        return float(len(self._tracks) - 1 - index)  # the first track on top

    def _draw_tracks(self) -> None:
        for line, scatter, label in self._track_items:
            for piece in (line, scatter, label):
                self.removeItem(piece)
        self._track_items = []
        ticks = []
        rail = QColor(self._text)
        rail.setAlpha(70)
        for index, track in enumerate(self._tracks):
            y = self._row_y(index)
            ticks.append((y, track.name))
            times = [a.at_s for a in track.attempts]
            xs = self.scale.to_plot(times)
            line = pg.PlotDataItem(xs, [y] * len(xs), pen=pg.mkPen(rail, width=2))
            scatter = pg.ScatterPlotItem(
                x=xs,
                y=[y] * len(xs),
                symbol=[attempt_symbol(a) for a in track.attempts],
                brush=[pg.mkBrush(OUTCOME_COLORS[a.outcome]) for a in track.attempts],
                pen=[_marker_pen(a) for a in track.attempts],
                size=12,
                data=list(track.attempts),
                hoverable=True,
                hoverSize=16,
                tip=_tip,
            )
            scatter.sigClicked.connect(
                lambda _item, spots, _ev, i=index: self._on_clicked(i, spots)
            )
            label = pg.TextItem(track.summary, color=self._text, anchor=(0, 0.5))
            label.setPos(float(xs[-1]) if len(xs) else 0.0, y)
            label.setZValue(5)
            for piece in (line, scatter, label):
                self.addItem(piece)
            self._track_items.append((line, scatter, label))
        self.getPlotItem().getAxis("left").setTicks([ticks, []])

    def _draw_outages(self) -> None:
        if len(self._regions) == len(self._outages):  # move them: a drag may be in progress
            for region, outage in zip(self._regions, self._outages, strict=True):
                region.blockSignals(True)
                region.setRegion(self._plot_window(outage))
                region.blockSignals(False)
            return
        for region in self._regions:
            self.removeItem(region)
        self._regions = []
        for outage in self._outages:
            region = pg.LinearRegionItem(
                self._plot_window(outage),
                brush=OUTAGE_COLOR,
                hoverBrush=QColor(208, 68, 58, 80),
                pen=pg.mkPen(QColor(208, 68, 58, 160)),
                bounds=(0.0, None),
            )
            region.setZValue(-10)
            region.setToolTip(
                f"receiver down {format_duration(outage.start_s)} – "
                f"{format_duration(outage.end_s)}\ndrag to move, drag an edge to resize"
            )
            region.sigRegionChangeFinished.connect(self._on_region_moved)
            self.addItem(region)
            self._regions.append(region)

    def _plot_window(self, outage: Outage) -> tuple[float, float]:
        return self.scale.point(outage.start_s), self.scale.point(outage.end_s)

    # -- mouse -------------------------------------------------------------------------------

    def _on_window_drawn(self, low: float, high: float) -> None:
        start, end = max(0.0, self.scale.seconds(low)), self.scale.seconds(high)
        if end > start:
            self.outage_drawn.emit(start, end)

    def _on_region_moved(self, region: Any) -> None:
        if region not in self._regions:
            return
        low, high = region.getRegion()
        start, end = max(0.0, self.scale.seconds(low)), self.scale.seconds(high)
        if end > start:
            self.outage_moved.emit(self._regions.index(region), start, end)

    def _on_clicked(self, track: int, spots: Sequence[Any]) -> None:
        if len(spots):
            self.attempt_clicked.emit(track, spots[0].data().n)


def _marker_pen(attempt: Attempt) -> Any:
    color = OUTCOME_COLORS[attempt.outcome]
    return pg.mkPen(color, width=2.5) if is_refused(attempt) else pg.mkPen(color.darker(130))


def _tip(x: float, y: float, data: Attempt) -> str:
    delay = f" after {format_duration(data.delay_s)}" if data.n > 1 else ""
    return f"attempt {data.n} at {format_duration(data.at_s)}{delay}\n{answer_text(data)}"
