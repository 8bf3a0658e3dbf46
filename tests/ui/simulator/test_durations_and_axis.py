"""Durations typed and shown by the simulator, and its time axis (linear and log)."""

from __future__ import annotations

import itertools
import math

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.ui.simulator.durations import parse_duration, short_duration
from hookscope.ui.simulator.timescale import TimeAxis, TimeScale


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("2.5", 2.5),
        ("5 min", 300.0),
        ("1h30m", 5400.0),
        ("1 h 30 min", 5400.0),
        ("2 days", 172800.0),
        ("250ms", 0.25),
        ("00:35:05", 2105.0),
        ("35:05", 2105.0),
        ("1d 03:35:05", 99305.0),
        ("00:00:04.271", 4.271),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "soon", "5 fortnights", "-5", "00:61:00", "1:2:3:4", "inf"])
def test_parse_duration_refuses_with_a_message(text: str) -> None:
    with pytest.raises(HookscopeError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0"),
        (0.25, "250 ms"),
        (2.5, "2.5 s"),
        (45, "45 s"),
        (300.0000001, "5 min"),
        (305, "5 min 5 s"),
        (7200, "2 h"),
        (99305, "1 d 3 h"),
        (86700, "1 d"),
    ],
)
def test_short_duration(seconds: float, text: str) -> None:
    assert short_duration(seconds) == text


def test_log_scale_keeps_zero_and_round_trips() -> None:
    scale = TimeScale.LOG
    assert scale.point(0) == 0.0
    assert list(scale.to_plot([0, 9, 99])) == pytest.approx([0.0, 1.0, 2.0])
    for seconds in (0.0, 5.0, 2105.0, 97_505.0):
        assert scale.seconds(scale.point(seconds)) == pytest.approx(seconds)
    assert TimeScale.LINEAR.point(2105.0) == 2105.0


def test_axis_ticks_are_round_durations(qapp: object) -> None:
    axis = TimeAxis()
    levels = axis.tickValues(0, 2400, 1200)
    major_step, majors = levels[0]
    assert major_step == 300  # 5 min steps for 40 min on 1200 px
    assert axis.tickStrings(majors[:3], 1, major_step) == ["0", "5 min", "10 min"]
    axis.set_scale(TimeScale.LOG)
    (_, ticks), *_ = axis.tickValues(0, math.log10(1 + 86400), 800)
    labels = axis.tickStrings(ticks, 1, 1)
    assert labels[0] == "0"
    assert labels[-1] == "1 d"
    assert "1 h" in labels
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert min(gaps) * 800 / math.log10(1 + 86400) >= 72  # labels never overlap
