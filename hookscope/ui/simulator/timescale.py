"""The simulator's time axis: linear or logarithmic seconds, labelled as durations.

pyqtgraph's own log mode takes log10 of the data, which drops the first attempt (t = 0) and
labels ticks as powers of ten. Here the log scale plots log10(1 + t) instead, so t = 0 stays on
the plot, and ticks sit on round durations (10 s, 5 min, 1 h, 1 d) whatever the scale."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

import numpy as np

from hookscope.ui.simulator.durations import short_duration
from hookscope.ui.simulator.plotlib import pg

__all__ = ["TimeAxis", "TimeScale"]

_MINUTE, _HOUR, _DAY = 60.0, 3600.0, 86400.0
# Steps between linear ticks that read well as durations.
_STEPS = (
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
    _MINUTE, 2 * _MINUTE, 5 * _MINUTE, 10 * _MINUTE, 15 * _MINUTE, 30 * _MINUTE,
    _HOUR, 2 * _HOUR, 3 * _HOUR, 6 * _HOUR, 12 * _HOUR,
    _DAY, 2 * _DAY, 7 * _DAY, 14 * _DAY, 30 * _DAY, 60 * _DAY, 90 * _DAY, 180 * _DAY, 365 * _DAY,
)  # fmt: skip
# Candidate ticks on the log scale, roundest first: a tier is placed where it fits between the
# ticks of the tiers before it, so "1 h" wins over "30 min" and "2 h" when only some fit.
_LOG_TIERS = (
    (0, 1, 10, _MINUTE, 10 * _MINUTE, _HOUR, _DAY, 7 * _DAY, 30 * _DAY, 365 * _DAY),
    (5, 30, 5 * _MINUTE, 30 * _MINUTE, 6 * _HOUR, 12 * _HOUR, 3 * _DAY, 90 * _DAY),
    (2, 20, 2 * _MINUTE, 20 * _MINUTE, 2 * _HOUR, 3 * _HOUR, 2 * _DAY, 14 * _DAY, 60 * _DAY,
     180 * _DAY),
)  # fmt: skip
_MIN_TICK_GAP_PX = 72  # room for a label such as "30 min"


class TimeScale(StrEnum):
    LINEAR = "linear"
    LOG = "log"

    def to_plot(self, seconds: Sequence[float] | np.ndarray) -> np.ndarray:
        values = np.asarray(seconds, dtype=np.float64)
        if self is TimeScale.LINEAR:
            return values
        return np.log10(1.0 + np.maximum(values, 0.0))

    def point(self, seconds: float) -> float:
        if self is TimeScale.LINEAR:
            return seconds
        return math.log10(1.0 + max(seconds, 0.0))

    def seconds(self, x: float) -> float:
        """The inverse of `point`."""
        if self is TimeScale.LINEAR:
            return x
        return float(10.0**x) - 1.0


class TimeAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A bottom axis whose ticks are durations on the current `TimeScale`."""

    def __init__(self, scale: TimeScale = TimeScale.LINEAR, **kwargs: Any) -> None:
        super().__init__("bottom", **kwargs)
        self.time_scale = scale  # not `scale`: AxisItem uses that name for its SI factor

    def set_scale(self, scale: TimeScale) -> None:
        self.time_scale = scale
        self.picture = None  # pyqtgraph caches the drawn axis
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:  # noqa: N802, N803
        if maxVal <= minVal or size <= 0:
            return []
        if self.time_scale is TimeScale.LOG:
            return [(1.0, self._log_ticks(minVal, maxVal, size))]
        return self._linear_ticks(minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [short_duration(self.time_scale.seconds(v)) for v in values]

    @staticmethod
    def _linear_ticks(lo: float, hi: float, size: float) -> list[Any]:
        """One level only: pyqtgraph labels every level it is given, and a second level of
        round durations (2 h between 3 h ticks) reads as a muddle."""
        wanted = max(2.0, size / (_MIN_TICK_GAP_PX * 1.3))
        span = hi - lo
        step = next((s for s in _STEPS if span / s <= wanted), _STEPS[-1])
        major = np.arange(math.ceil(lo / step) * step, hi + step * 1e-9, step)
        return [(step, [float(v) for v in major])]

    def _log_ticks(self, lo: float, hi: float, size: float) -> list[float]:
        gap = _MIN_TICK_GAP_PX * (hi - lo) / size  # in plot units
        ticks: list[float] = []
        for tier in _LOG_TIERS:
            for seconds in tier:
                x = self.time_scale.point(seconds)
                if lo <= x <= hi and all(abs(x - t) >= gap for t in ticks):
                    ticks.append(x)
        return sorted(ticks)
