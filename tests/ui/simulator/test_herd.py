"""Herds in the panel: computed off the GUI thread on the app's real qasync loop, the latest
request winning; the stats text, the latency histogram and the load plot agree with core."""

from __future__ import annotations

import threading
from random import Random

import numpy as np
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hookscope.core.retry import (
    Jitter,
    JitterKind,
    Outage,
    Scenario,
    format_duration,
    simulate_herd,
)
from hookscope.ui.simulator import SimulatorPanel
from hookscope.ui.simulator.herd_job import HerdRequest, run_herds
from hookscope.ui.simulator.latest import LatestOnly
from tests.ui.conftest import RunAsync, eventually


def make_panel(qtbot: QtBot) -> SimulatorPanel:
    panel = SimulatorPanel(herd_delay_ms=0)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    return panel


def histogram_total(panel: SimulatorPanel, index: int = 0) -> int:
    _edges, counts = panel.herd_view.histogram_items[index].getData()
    return int(np.sum(counts))


def test_ten_thousand_events_without_jitter_arrive_together(
    qapp: QApplication, qtbot: QtBot, run_async: RunAsync
) -> None:
    panel = make_panel(qtbot)

    async def scenario() -> None:
        panel.scenario_editor.fail_first.setValue(3)
        panel.herd_editor.events.setValue(10_000)
        await eventually(lambda: bool(panel.herd_results))

    run_async(scenario())
    (result,) = panel.herd_results
    report = result.report
    assert (report.events, report.delivered, report.gave_up) == (10_000, 10_000, 0)
    assert report.latency_p50_s == report.latency_p99_s == 2105.0
    assert report.peak.per_s == 10_000  # all first attempts in the same second
    stats = panel.herd_view.stats.text()
    for text in ("10,000", "00:35:05", "10,000 at 00:00:00", "40,000"):
        assert text in stats, text
    assert histogram_total(panel) == 10_000
    edges, counts = panel.herd_view.histogram_items[0].getData()
    (full,) = np.nonzero(counts)[0]
    assert edges[full] <= 2105.0 <= edges[full + 1]
    _x, load = panel.herd_view.load_items[0].getData()
    assert int(load.max()) == 10_000
    assert panel.tabs.currentWidget() is panel.herd_view


def test_jittered_herd_matches_core_for_the_same_seed(
    qapp: QApplication, qtbot: QtBot, run_async: RunAsync
) -> None:
    panel = make_panel(qtbot)
    panel.policy_a.set_formula("exponential", attempts=8, base_s=10, max_delay_s=3600)
    panel.policy_a.set_jitter(JitterKind.FULL)
    panel.policy_a.set_seed(42)
    panel.scenario_editor.add_outage(0, 600)

    async def scenario() -> None:
        panel.herd_editor.events.setValue(10_000)
        await eventually(lambda: bool(panel.herd_results))

    run_async(scenario())
    policy = panel.policy_a.policy()
    assert policy is not None
    expected = simulate_herd(policy, Scenario(outages=(Outage(0, 600),)), 10_000, Random(42))
    (result,) = panel.herd_results
    report = result.report
    assert report.delivered == expected.delivered
    assert report.latency_p50_s == expected.latency_p50_s
    assert report.latency_p99_s == expected.latency_p99_s
    assert report.peak == expected.peak
    stats = panel.herd_view.stats.text()
    assert f"{expected.delivered:,}" in stats
    assert format_duration(expected.latency_p50_s or 0) in stats
    assert format_duration(expected.latency_p99_s or 0) in stats
    assert f"{expected.peak.per_s:,} at {format_duration(expected.peak.at_s)}" in stats
    assert histogram_total(panel) == expected.delivered
    _x, load = panel.herd_view.load_items[0].getData()
    assert int(load.max()) == expected.peak.per_s  # the plot's tallest bar is the peak
    _x, refused = panel.herd_view.refused_items[0].getData()
    assert int(refused.max()) > 0  # attempts during the outage


def test_compared_herds_share_histogram_bins(
    qapp: QApplication, qtbot: QtBot, run_async: RunAsync
) -> None:
    panel = make_panel(qtbot)
    panel.scenario_editor.fail_first.setValue(2)
    panel.set_compare(True)
    panel.policy_b.set_policy_name("zoom")

    async def scenario() -> None:
        panel.herd_editor.events.setValue(2_000)
        await eventually(lambda: len(panel.herd_results) == 2)

    run_async(scenario())
    first, second = panel.herd_results
    assert (first.request.name, second.request.name) == ("svix", "zoom")
    assert np.array_equal(first.histogram_edges, second.histogram_edges)
    assert histogram_total(panel, 0) == histogram_total(panel, 1) == 2_000
    assert second.report.latency_p50_s == 1500.0  # Zoom: 5 min + 20 min
    assert len(panel.herd_view.histogram_items) == 2


def test_turning_the_herd_off_clears_it(
    qapp: QApplication, qtbot: QtBot, run_async: RunAsync
) -> None:
    panel = make_panel(qtbot)

    async def scenario() -> None:
        panel.herd_editor.events.setValue(1_000)
        await eventually(lambda: bool(panel.herd_results))
        panel.herd_editor.events.setValue(0)
        await eventually(lambda: not panel.herd_results)

    run_async(scenario())
    assert panel.herd_view.histogram_items == []
    assert "number of events" in panel.herd_view.stats.text()


def test_a_herd_over_the_limit_shows_cores_message(
    qapp: QApplication, qtbot: QtBot, run_async: RunAsync
) -> None:
    panel = make_panel(qtbot)
    panel.policy_a.set_formula("fixed", attempts=100, base_s=1)

    async def scenario() -> None:
        panel.herd_editor.events.setValue(200_000)  # 20 M attempts: over core's limit
        await eventually(lambda: "attempts hookscope simulates" in panel.herd_view.stats.text())

    run_async(scenario())
    assert panel.herd_results == []


def test_latest_request_wins_and_stale_work_is_skipped(run_async: RunAsync) -> None:
    shown: list[int] = []
    release_first = threading.Event()
    first_started = threading.Event()

    def job(value: int) -> int:
        if value == 1:
            first_started.set()
            release_first.wait(10)
        return value

    runner = LatestOnly[int](shown.append, lambda message: None)

    async def scenario() -> None:
        runner.submit(job, 1)
        await eventually(first_started.is_set)
        runner.submit(job, 2)  # waits behind 1, then is replaced by 3 before it starts
        runner.submit(job, 3)
        release_first.set()
        await eventually(lambda: bool(shown))
        await eventually(lambda: not runner.busy)

    run_async(scenario())
    assert shown == [3]  # 1 finished but was overtaken; 2 never ran
    assert runner.started == 2


def test_cancel_drops_the_running_jobs_result(run_async: RunAsync) -> None:
    shown: list[int] = []
    release = threading.Event()
    started = threading.Event()

    def job(value: int) -> int:
        started.set()
        release.wait(10)
        return value

    runner = LatestOnly[int](shown.append, lambda message: None)

    async def scenario() -> None:
        runner.submit(job, 1)
        await eventually(started.is_set)
        runner.cancel()
        release.set()
        assert not runner.busy

    run_async(scenario())
    assert shown == []


def test_herd_job_runs_without_qt() -> None:
    from hookscope.core.retry.catalog import build_policy

    request = HerdRequest("svix", build_policy("svix"), Scenario(fail_first=1), 500, seed=7)
    (result,) = run_herds((request,))
    assert result.report.delivered == 500
    assert int(result.histogram_counts.sum()) == 500
    assert int(result.load_peak_per_s.max()) == 500
    assert result.load_bucket_s == 1.0


def test_load_buckets_show_the_busiest_second_not_the_sum() -> None:
    from hookscope.core.retry.catalog import build_policy

    policy = build_policy("svix", jitter=Jitter(JitterKind.FULL))
    request = HerdRequest("svix", policy, Scenario(fail_first=6), 5_000, seed=3)
    (result,) = run_herds((request,))
    assert result.load_bucket_s > 1  # a day-long span: seconds grouped into buckets
    assert int(result.load_peak_per_s.max()) == result.report.peak.per_s
    reached = len(result.report.first_attempt_times_s) + len(result.report.retry_times_s)
    assert int(result.load_peak_per_s.sum()) < reached  # each bucket holds one second's count
