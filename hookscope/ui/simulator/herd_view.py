"""What a herd of events did: its numbers as text, a histogram of delivery latency, and the
load on the receiver over time (attempts per second, and those refused while it was down)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QVBoxLayout, QWidget

from hookscope.core.retry import Outage, format_duration
from hookscope.ui.simulator.durations import short_duration
from hookscope.ui.simulator.herd_job import HerdPlotData
from hookscope.ui.simulator.plotlib import pg
from hookscope.ui.simulator.style import ERROR_COLOR, OUTAGE_COLOR, SERIES_COLORS, style_plot
from hookscope.ui.simulator.timescale import TimeAxis, TimeScale

__all__ = ["HerdView"]


def _plot(bottom: str, left: str) -> Any:
    plot = pg.PlotWidget(axisItems={"bottom": TimeAxis()})
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.setMouseEnabled(x=True, y=False)  # zoom and pan time; counts follow what is visible
    item.setAutoVisible(y=True)
    item.showGrid(x=True, y=True, alpha=0.18)
    item.setLabel("bottom", bottom)
    item.setLabel("left", left)
    item.getViewBox().setDefaultPadding(0.03)  # a spike at the last second stays in view
    return plot


class HerdView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats = QLabel()
        self.stats.setObjectName("herdStats")
        self.stats.setTextFormat(Qt.TextFormat.RichText)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats.setWordWrap(True)
        self.histogram = _plot("delivery latency", "events")
        self.load = _plot("time since the release", "attempts/s")
        self.scale = TimeScale.LINEAR
        self.results: list[HerdPlotData] = []
        self.histogram_items: list[Any] = []
        self.load_items: list[Any] = []
        self.refused_items: list[Any] = []
        self._outages: tuple[Outage, ...] = ()
        self._regions: list[Any] = []
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.histogram)
        plots.addWidget(self.load)
        plots.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.stats)
        layout.addWidget(plots, 1)
        self.restyle(QApplication.palette())
        self.show_message("Set a number of events under Many events to see a herd.")

    # -- content -----------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        color = f' style="color: {ERROR_COLOR}"' if error else ""
        self.stats.setText(f"<span{color}>{_escape(text)}</span>")
        if not error:
            self.show_results([])

    def show_busy(self, events: int) -> None:
        self.stats.setText(f"simulating {events:,} events…")

    def show_results(self, results: Sequence[HerdPlotData]) -> None:
        self.results = list(results)
        if results:
            self.stats.setText(_stats_table(self.results))
        self._draw()

    def set_scale(self, scale: TimeScale) -> None:
        if scale is not self.scale:
            self.scale = scale
            self.load.getPlotItem().getAxis("bottom").set_scale(scale)
            self._draw()

    def set_outages(self, outages: Sequence[Outage]) -> None:
        self._outages = tuple(outages)
        self._draw_outages()

    def restyle(self, palette: QPalette) -> None:
        style_plot(self.histogram, palette)
        style_plot(self.load, palette)

    # -- drawing -----------------------------------------------------------------------------

    def _draw(self) -> None:
        for item in self.histogram_items:
            self.histogram.removeItem(item)
        for item in self.load_items + self.refused_items:
            self.load.removeItem(item)
        self.histogram_items, self.load_items, self.refused_items = [], [], []
        many = len(self.results) > 1
        for index, result in enumerate(self.results):
            color = SERIES_COLORS[index % len(SERIES_COLORS)]
            name = result.request.name
            fill = QColor(color)
            fill.setAlpha(90 if many else 140)
            histogram = pg.PlotDataItem(
                result.histogram_edges,
                result.histogram_counts,
                stepMode="center",
                fillLevel=0,
                brush=fill,
                pen=pg.mkPen(color, width=1.5),
                name=name,
            )
            self.histogram.addItem(histogram)
            self.histogram_items.append(histogram)
            edges = np.arange(len(result.load_peak_per_s) + 1) * result.load_bucket_s
            x = self.scale.to_plot(edges)
            load = pg.PlotDataItem(
                x,
                result.load_peak_per_s,
                stepMode="center",
                fillLevel=0,
                brush=fill,
                pen=pg.mkPen(color, width=1.5),
                name=name,
            )
            self.load.addItem(load)
            self.load_items.append(load)
            if result.refused_peak_per_s.any():
                refused = pg.PlotDataItem(
                    x,
                    result.refused_peak_per_s,
                    stepMode="center",
                    pen=pg.mkPen(color, width=1, style=Qt.PenStyle.DashLine),
                    name=f"{name}: refused",
                )
                self.load.addItem(refused)
                self.refused_items.append(refused)
        self._draw_outages()
        for plot in (self.histogram, self.load):
            plot.getPlotItem().enableAutoRange()

    def _draw_outages(self) -> None:
        for region in self._regions:
            self.load.removeItem(region)
        self._regions = []
        for outage in self._outages if self.results else ():
            region = pg.LinearRegionItem(
                (self.scale.point(outage.start_s), self.scale.point(outage.end_s)),
                brush=OUTAGE_COLOR,
                pen=pg.mkPen(None),
                movable=False,
            )
            region.setZValue(-10)
            self.load.addItem(region, ignoreBounds=True)
            self._regions.append(region)


def _stats_table(results: Sequence[HerdPlotData]) -> str:
    def when(value: float | None) -> str:
        return "–" if value is None else format_duration(value)

    rows: list[tuple[str, list[str]]] = [
        ("", [_swatch(i) + f"<b>{_escape(r.request.name)}</b>" for i, r in enumerate(results)]),
        ("events", [_released(r) for r in results]),
        ("delivered", [f"{r.report.delivered:,}" for r in results]),
        ("gave up", [f"{r.report.gave_up:,}" for r in results]),
        ("latency p50", [when(r.report.latency_p50_s) for r in results]),
        ("latency p99", [when(r.report.latency_p99_s) for r in results]),
        ("peak attempts/s", [_peak(r) for r in results]),
        ("attempts", [_attempts(r) for r in results]),
    ]
    cells = []
    for label, values in rows:
        tds = "".join(f'<td style="padding: 0 18px 0 0">{v}</td>' for v in values)
        cells.append(f'<tr><td style="padding: 0 14px 0 0"><i>{label}</i></td>{tds}</tr>')
    bucket = results[0].load_bucket_s
    note = ""
    if bucket > 1:
        note = f"<br><small>load plot: the busiest second in each {short_duration(bucket)}</small>"
    return f"<table>{''.join(cells)}</table>{note}"


def _swatch(index: int) -> str:
    """The series' colour in the plots, so that the columns read as the legend."""
    color = SERIES_COLORS[index % len(SERIES_COLORS)].name()
    return f'<span style="color: {color}">■</span>&nbsp;'


def _released(result: HerdPlotData) -> str:
    request = result.request
    text = f"{request.events:,}"
    if request.release_over_s:
        text += f" over {short_duration(request.release_over_s)}"
    if request.capacity_per_s:
        text += f", receiver takes {request.capacity_per_s:,}/s"
    return text


def _peak(result: HerdPlotData) -> str:
    peak = result.report.peak
    return f"{peak.per_s:,} at {format_duration(peak.at_s)}"


def _attempts(result: HerdPlotData) -> str:
    report = result.report
    refused = f" ({report.refused:,} refused)" if report.refused else ""
    return f"{report.attempts:,}{refused}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
