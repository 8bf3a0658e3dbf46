"""The simulator panel driven as a user would, offscreen: choose a policy and a scenario, read
the table and the plotted points (pyqtgraph's own item data), draw outages, toggle the log axis,
compare two policies."""

from __future__ import annotations

import math
from random import Random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hookscope.core.retry import JitterKind, Outcome, Scenario, simulate
from hookscope.core.retry.catalog import build_policy
from hookscope.ui.simulator import SimulatorPanel
from hookscope.ui.simulator.style import OUTCOME_COLORS
from hookscope.ui.simulator.timescale import TimeScale
from hookscope.ui.theme import apply_theme
from tests.ui.simulator.helpers import drag, plotted, table_texts, view_point

SVIX_FAIL_3_AT = [0.0, 5.0, 305.0, 2105.0]  # reference: "about 35 min 5 s after the first"


@pytest.fixture
def panel(qtbot: QtBot) -> SimulatorPanel:
    widget = SimulatorPanel()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def choose_svix_fail_first_3(panel: SimulatorPanel) -> None:
    kind = panel.policy_a.kind
    kind.setCurrentIndex(kind.findData("zoom"))  # svix is the default: choose it for real
    kind.setCurrentIndex(kind.findData("svix"))
    panel.scenario_editor.fail_first.setValue(3)


def test_svix_with_three_failures_shows_four_attempts_at_the_exact_times(
    panel: SimulatorPanel,
) -> None:
    choose_svix_fail_first_3(panel)
    model = panel.attempts_a
    assert model.rowCount() == 4
    assert table_texts(model, 0) == ["1", "2", "3", "4"]
    assert table_texts(model, 1) == ["00:00:00", "00:00:05", "00:05:05", "00:35:05"]
    assert table_texts(model, 2) == ["–", "00:00:05", "00:05:00", "00:30:00"]
    assert table_texts(model, 3) == ["failure", "failure", "failure", "success"]
    xs, ys = plotted(panel, 0)
    assert xs == SVIX_FAIL_3_AT
    assert len(set(ys)) == 1  # one row
    brushes = panel.plot.points(0).data["brush"]
    assert [b.color().name() for b in brushes] == [
        OUTCOME_COLORS[o].name() for o in (Outcome.FAILURE,) * 3 + (Outcome.SUCCESS,)
    ]
    assert "delivered at 00:35:05 on attempt 4" in panel.summary_a.text()


def test_an_outage_added_through_the_editor_moves_the_delivery(panel: SimulatorPanel) -> None:
    choose_svix_fail_first_3(panel)
    panel.scenario_editor.add_outage(2000.0, 3000.0)  # the 4th attempt (35 min 5 s) is refused
    assert [a.at_s for a in panel.timeline_a.attempts] == [*SVIX_FAIL_3_AT, 2105.0 + 7200.0]
    assert table_texts(panel.attempts_a, 3)[3:] == ["refused", "success"]
    assert plotted(panel, 0)[0] == [*SVIX_FAIL_3_AT, 9305.0]
    assert panel.plot.points(0).data["symbol"][3] == "x"
    (region,) = panel.plot.region_items()
    assert region.getRegion() == (2000.0, 3000.0)
    assert "delivered at 02:35:05 on attempt 5" in panel.summary_a.text()


def test_dragging_an_outage_window_on_the_plot_moves_the_outage(panel: SimulatorPanel) -> None:
    choose_svix_fail_first_3(panel)
    panel.scenario_editor.add_outage(3000.0, 4000.0)  # nothing happens then: same schedule
    assert panel.timeline_a.delivered_at_s == 2105.0
    (region,) = panel.plot.region_items()
    region.setRegion((2000.0, 3000.0))
    region.sigRegionChangeFinished.emit(region)  # what pyqtgraph sends when a drag ends
    assert panel.scenario_editor.scenario().outages[0].start_s == 2000.0
    assert panel.timeline_a.delivered_at_s == 9305.0


def test_shift_drag_on_the_timeline_draws_an_outage(panel: SimulatorPanel, qtbot: QtBot) -> None:
    choose_svix_fail_first_3(panel)
    panel.plot.view.setXRange(0, 4000, padding=0)
    start, end = view_point(panel, 1000, 0), view_point(panel, 2500, 0)
    drag(panel.plot, start, end, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(panel.scenario_editor.scenario().outages) == 1)
    (outage,) = panel.scenario_editor.scenario().outages
    pixel = 4000 / panel.plot.view.width()  # what one pixel is worth in seconds
    assert outage.start_s == pytest.approx(1000, abs=3 * pixel)
    assert outage.end_s == pytest.approx(2500, abs=3 * pixel)
    outcomes = table_texts(panel.attempts_a, 3)
    assert outcomes == ["failure", "failure", "failure", "refused", "success"]


def test_a_plain_drag_pans_unless_draw_mode_is_on(panel: SimulatorPanel, qtbot: QtBot) -> None:
    choose_svix_fail_first_3(panel)
    panel.plot.view.setXRange(0, 4000, padding=0)
    drag(panel.plot, view_point(panel, 1000, 0), view_point(panel, 2000, 0), Qt.KeyboardModifier(0))
    assert panel.scenario_editor.scenario().outages == ()
    low, _high = panel.plot.view.viewRange()[0]
    assert low < -500  # the view moved left by about 1000 s
    assert not panel.plot.follow  # and stays where the user put it
    panel.draw_outage.setChecked(True)
    panel.plot.view.setXRange(0, 4000, padding=0)
    drag(panel.plot, view_point(panel, 100, 0), view_point(panel, 400, 0), Qt.KeyboardModifier(0))
    qtbot.waitUntil(lambda: len(panel.scenario_editor.scenario().outages) == 1)
    assert panel.timeline_a.attempts[2].status is None  # 305 s: refused


def test_log_time_axis_plots_log_of_one_plus_seconds(panel: SimulatorPanel) -> None:
    choose_svix_fail_first_3(panel)
    panel.scenario_editor.add_outage(2000.0, 3000.0)
    panel.log_time.setChecked(True)
    assert panel.time_scale is TimeScale.LOG
    xs, _ = plotted(panel, 0)
    assert xs == pytest.approx([math.log10(1 + t) for t in (*SVIX_FAIL_3_AT, 9305.0)])
    (region,) = panel.plot.region_items()
    assert region.getRegion() == pytest.approx((math.log10(2001), math.log10(3001)))
    low, high = panel.plot.view.viewRange()[0]
    assert low <= 0
    assert high >= math.log10(9306)
    ticks = panel.plot.axis.tickStrings([math.log10(1 + s) for s in (0, 60, 3600)], 1, 1)
    assert ticks == ["0", "1 min", "1 h"]
    panel.plot.view.window_drawn.emit(math.log10(1 + 1), math.log10(1 + 10))  # drawn on the plot
    first = panel.scenario_editor.scenario().outages[0]
    assert (first.start_s, first.end_s) == pytest.approx((1.0, 10.0))  # seconds, not log units
    assert panel.timeline_a.attempts[1].status is None  # the attempt at 5 s is refused
    panel.log_time.setChecked(False)
    assert plotted(panel, 0)[0][:4] == SVIX_FAIL_3_AT


def test_compare_mode_plots_both_policies_on_one_time_axis(panel: SimulatorPanel) -> None:
    choose_svix_fail_first_3(panel)
    panel.set_compare(True)
    panel.policy_b.set_policy_name("zoom")
    assert [t.name for t in panel.plot.tracks] == ["svix", "zoom"]
    svix_x, svix_y = plotted(panel, 0)
    zoom_x, zoom_y = plotted(panel, 1)
    assert svix_x == SVIX_FAIL_3_AT
    assert zoom_x == [0.0, 300.0, 1500.0, 5100.0]  # Zoom: 5 min, 20 min, 60 min
    assert svix_y[0] > zoom_y[0]  # two rows, the first policy on top
    assert table_texts(panel.attempts_b, 1) == ["00:00:00", "00:05:00", "00:25:00", "01:25:00"]
    assert panel.pane_b.isVisible()
    assert "zoom" in panel.summary_b.text()
    panel.set_compare(False)
    assert [t.name for t in panel.plot.tracks] == ["svix"]
    assert panel.timeline_b is None


def test_same_policy_compared_with_other_jitter_gets_its_own_row(panel: SimulatorPanel) -> None:
    panel.policy_a.set_formula("exponential", attempts=6, base_s=10)
    panel.scenario_editor.fail_first.setValue(10)
    panel.set_compare(True)
    panel.policy_b.set_formula("exponential", attempts=6, base_s=10)
    panel.policy_b.set_jitter(JitterKind.FULL)
    assert [t.name for t in panel.plot.tracks] == ["exponential", "exponential (compared)"]
    assert plotted(panel, 0)[0] == [0, 10, 30, 70, 150, 310]
    jittered = plotted(panel, 1)[0]
    policy = build_policy("exponential", attempts=6, base_s=10).with_jitter(
        panel.policy_b.policy().jitter  # type: ignore[union-attr]
    )
    expected = simulate(policy, Scenario(fail_first=10), Random(panel.policy_b.seed_value))
    assert jittered == [a.at_s for a in expected.attempts]
    assert jittered != [0, 10, 30, 70, 150, 310]


def test_reroll_draws_new_jitter(panel: SimulatorPanel) -> None:
    panel.policy_a.set_formula("exponential", attempts=5, base_s=10)
    panel.policy_a.set_jitter(JitterKind.FULL)
    panel.scenario_editor.fail_first.setValue(10)
    before = plotted(panel, 0)[0]
    seed = panel.policy_a.seed_value
    panel.policy_a.reroll.click()
    assert panel.policy_a.seed_value != seed
    assert plotted(panel, 0)[0] != before
    panel.policy_a.set_seed(seed)
    assert plotted(panel, 0)[0] == before  # the same seed draws the same waits


def test_formula_fields_follow_the_chosen_policy(panel: SimulatorPanel) -> None:
    editor = panel.policy_a
    editor.set_policy_name("svix")
    assert not editor.factor.isVisibleTo(editor)
    editor.set_policy_name("exponential")
    assert editor.factor.isVisibleTo(editor)
    assert editor.max_delay.isVisibleTo(editor)
    editor.set_policy_name("fixed")
    assert not editor.factor.isVisibleTo(editor)
    assert editor.policy() is not None
    assert [a.at_s for a in panel.timeline_a.attempts] == [0.0]


def test_a_refused_policy_shows_why_and_plots_nothing(panel: SimulatorPanel) -> None:
    panel.policy_a.set_formula("exponential", attempts=5, base_s=100, max_delay_s=10)
    assert panel.policy_a.policy() is None
    assert "max delay" in panel.policy_a.error_label.text()
    assert panel.policy_a.error_label.isVisibleTo(panel.policy_a)
    assert panel.timeline_a is None
    assert panel.plot.tracks == ()
    assert panel.attempts_a.rowCount() == 0
    panel.policy_a.max_delay.setValue(1000)
    assert panel.timeline_a is not None
    assert not panel.policy_a.error_label.isVisibleTo(panel.policy_a)


def test_timeouts_show_as_timeouts(panel: SimulatorPanel) -> None:
    panel.policy_a.set_policy_name("zoom")
    panel.scenario_editor.timeout_first.setValue(1)
    first, second = panel.timeline_a.attempts
    assert first.outcome is Outcome.TIMEOUT
    assert second.at_s == 3.0 + 300.0  # Zoom's 3 s timeout, then its 5 min wait
    assert table_texts(panel.attempts_a, 4)[0] == "none in 3 s"
    assert panel.plot.points(0).data["symbol"][0] == "d"


def test_clicking_a_point_selects_its_row(panel: SimulatorPanel) -> None:
    choose_svix_fail_first_3(panel)
    panel.plot._on_clicked(0, [panel.plot.points(0).points()[2]])
    assert panel.table_a.currentIndex().row() == 2


def test_panel_renders_offscreen(panel: SimulatorPanel) -> None:
    choose_svix_fail_first_3(panel)
    panel.set_compare(True)
    image = panel.grab().toImage()
    assert not image.isNull()
    assert image.width() >= 1000
    assert image.height() >= 600
    plot = panel.plot.grab().toImage()
    _, ys = plotted(panel, 0)
    for at_s, outcome in ((2105.0, Outcome.SUCCESS), (305.0, Outcome.FAILURE)):
        center = view_point(panel, at_s, ys[0])  # the marker's middle, painted in its colour
        painted = plot.pixelColor(center)
        expected = OUTCOME_COLORS[outcome]
        assert abs(painted.red() - expected.red()) < 40, (outcome, painted.name())
        assert abs(painted.green() - expected.green()) < 40, (outcome, painted.name())


def test_plots_follow_the_apps_dark_and_light_palette(
    panel: SimulatorPanel, qapp: QApplication, qtbot: QtBot
) -> None:
    style, palette = qapp.style().name(), qapp.palette()
    try:
        apply_theme(qapp, dark=True)
        dark_base = qapp.palette().color(QPalette.ColorRole.Base).name()
        qtbot.waitUntil(lambda: panel.plot.backgroundBrush().color().name() == dark_base)
        assert panel.herd_view.histogram.backgroundBrush().color().name() == dark_base
        text = qapp.palette().color(QPalette.ColorRole.Text).name()
        assert panel.plot.getAxis("bottom").textPen().color().name() == text
        apply_theme(qapp, dark=False)
        light_base = qapp.palette().color(QPalette.ColorRole.Base).name()
        assert light_base != dark_base
        qtbot.waitUntil(lambda: panel.plot.backgroundBrush().color().name() == light_base)
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
