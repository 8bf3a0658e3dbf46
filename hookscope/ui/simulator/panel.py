"""The retry simulator: pick a policy (and one to compare it with), describe what goes wrong,
and see when each attempt happens; for many events, the latency and the load they cause; and
run the policy for real against a URL.

One event is simulated on the GUI thread at every edit (a schedule has at most a thousand
attempts: microseconds). A herd of up to a million events runs on a worker thread, the latest
request winning, a moment after the last edit."""

from __future__ import annotations

import asyncio
from random import Random
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import Attempt, Outcome, StopReason, Timeline, format_duration, simulate
from hookscope.ui.asyncqt import spawn
from hookscope.ui.simulator.attempts_table import AttemptsModel
from hookscope.ui.simulator.herd_editor import HerdEditor
from hookscope.ui.simulator.herd_job import HerdPlotData, HerdRequest, run_herds
from hookscope.ui.simulator.herd_view import HerdView
from hookscope.ui.simulator.latest import LatestOnly
from hookscope.ui.simulator.live_section import (
    LIVE_PATH,
    LiveRequest,
    LiveRunFactory,
    LiveRunLike,
    LiveSection,
    as_attempt,
    live_answer,
    standard_live_run,
)
from hookscope.ui.simulator.plotlib import pg
from hookscope.ui.simulator.policy_editor import PolicyEditor
from hookscope.ui.simulator.scenario_editor import ScenarioEditor
from hookscope.ui.simulator.style import OUTCOME_COLORS
from hookscope.ui.simulator.timeline_plot import TimelinePlot, Track
from hookscope.ui.simulator.timescale import TimeScale

if TYPE_CHECKING:
    from hookscope.core.retry.live import LiveAttempt, LiveSummary

__all__ = ["SimulatorPanel"]

ROW_HEIGHT = 22
HERD_DELAY_MS = 250  # wait for the user to finish editing before simulating a herd
SIDEBAR_WIDTH = 330
_STOPS = {
    StopReason.EXHAUSTED: "every attempt failed",
    StopReason.GONE: "410 Gone, the endpoint is disabled",
    StopReason.ABORTED: "the receiver asked to stop",
    StopReason.REJECTED: "a status this sender never retries",
    StopReason.NO_RETRY: "the receiver asked for no retries",
    StopReason.CLIENT_ERROR: "a 4xx this sender treats as final",
}


class SimulatorPanel(QWidget):
    """Signals: `results_changed` after each single-event recompute; `herd_changed` when herd
    results (or a message instead) are shown; `live_attempt_shown(LiveAttempt)` as a live answer
    arrives; `live_finished(LiveSummary | None)` when a live run ends."""

    results_changed: ClassVar[Signal] = Signal()
    herd_changed: ClassVar[Signal] = Signal()
    live_attempt_shown: ClassVar[Signal] = Signal(object)
    live_finished: ClassVar[Signal] = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        receiver_url: str | None = None,
        live_run_factory: LiveRunFactory | None = None,
        herd_delay_ms: int = HERD_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("simulatorPanel")
        self.timeline_a: Timeline | None = None
        self.timeline_b: Timeline | None = None
        self.herd_results: list[HerdPlotData] = []
        self.live_attempts: list[Attempt] = []
        self.live_summary: LiveSummary | None = None
        self._live_factory: LiveRunFactory = live_run_factory or standard_live_run
        self._live_run: LiveRunLike | None = None
        self._live_task: asyncio.Task[None] | None = None
        self._herd = LatestOnly[list[HerdPlotData]](
            self._show_herd, self._show_herd_error, name="herd simulation"
        )
        self._herd_timer = QTimer(self)
        self._herd_timer.setSingleShot(True)
        self._herd_timer.setInterval(herd_delay_ms)
        self._herd_timer.timeout.connect(self._submit_herd)

        self._build()
        self._connect()
        if receiver_url:
            self.set_receiver_url(receiver_url)
        self.recompute()

    # -- public API --------------------------------------------------------------------------

    def set_receiver_url(self, url: str) -> None:
        """hookscope's own receiver (`http://127.0.0.1:PORT`): the live run's default target,
        so its attempts also land in the capture table."""
        self.live.set_default_url(url.rstrip("/") + LIVE_PATH)

    def set_live_run_factory(self, factory: LiveRunFactory) -> None:
        self._live_factory = factory

    def set_compare(self, on: bool) -> None:
        self.compare_box.setChecked(on)

    def set_time_scale(self, scale: TimeScale) -> None:
        self.log_time.setChecked(scale is TimeScale.LOG)

    @property
    def time_scale(self) -> TimeScale:
        return TimeScale.LOG if self.log_time.isChecked() else TimeScale.LINEAR

    @property
    def comparing(self) -> bool:
        return self.compare_box.isChecked()

    def recompute(self) -> None:
        """Simulate one event under each policy now; schedule the herd (if any)."""
        scenario = self.scenario_editor.scenario()
        self.timeline_a = self._simulate(self.policy_a, scenario)
        self.timeline_b = self._simulate(self.policy_b, scenario) if self.comparing else None
        self._show_timeline(self.timeline_a, self.policy_a, self.attempts_a, self.summary_a)
        self._show_timeline(self.timeline_b, self.policy_b, self.attempts_b, self.summary_b)
        self.plot.set_outages(scenario.outages)
        self.herd_view.set_outages(scenario.outages)
        self._update_tracks()
        self.results_changed.emit()
        self.schedule_herd()

    def schedule_herd(self) -> None:
        self._herd_timer.start()

    def run_herd_now(self) -> None:
        self._herd_timer.stop()
        self._submit_herd()

    def start_live(self) -> None:
        policy = self.policy_a.policy()
        url = self.live.url.text().strip()
        if policy is None:
            self.live.status.setText(f"fix the policy first: {self.policy_a.error}")
            return
        if not url:
            self.live.status.setText("enter the URL to send to")
            return
        request = LiveRequest(
            policy, url, self.live.speedup, self.policy_a.seed_value, self.live.secret.text()
        )
        try:
            run = self._live_factory(request)
        except HookscopeError as exc:
            self.live.status.setText(str(exc))
            return
        self.clear_live()
        self._live_run = run
        self.live.set_running(True)
        self.live.status.setText(f"sending to {url}…")
        self.tabs.setCurrentWidget(self.live_tab)
        self._live_task = spawn(self._run_live(run), name="live retry run")

    def stop_live(self) -> None:
        """Stop after the attempt in flight (its answer is still shown)."""
        if self._live_run is not None:
            self._live_run.cancel()
            self.live.status.setText("stopping…")

    def show_live_attempt(self, live: LiveAttempt) -> None:
        """Add a live attempt's answer to the live table and the plot's live row."""
        attempt = as_attempt(live)
        self.live_attempts.append(attempt)
        no_answer = live.status is None and live.outcome is not Outcome.TIMEOUT
        tip = f"sent {live.sent_after_s:.2f} s into the run"
        if live.error:
            tip += f"\n{live.error}"
        self.live_model.append(
            attempt, live_answer(live), outcome="no answer" if no_answer else None, tip=tip
        )
        following = (
            f"; next in {format_duration(live.next_wait_s)} of schedule"
            if live.next_wait_s is not None
            else ""
        )
        self.live.status.setText(f"attempt {live.n}: {live_answer(live)}{following}")
        self._update_tracks()
        self.live_attempt_shown.emit(live)

    def clear_live(self) -> None:
        self.live_attempts = []
        self.live_summary = None
        self.live_model.clear()
        self.live_result.setText("")
        self._update_tracks()

    def shutdown(self) -> None:
        """Cancel background work: the herd job and a live run. Call before the app closes."""
        self._herd_timer.stop()
        self._herd.cancel()
        if self._live_run is not None:
            self._live_run.cancel()
        if self._live_task is not None:
            self._live_task.cancel()
        # pyqtgraph keeps its views in class-level registries; a view whose widget is simply
        # destroyed stays there, and a later plot can reach it (a crash). close() unregisters.
        for view in self.findChildren(pg.GraphicsView):
            view.close()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.policy_a = PolicyEditor("svix", seed=1)
        self.policy_a.setObjectName("policyA")
        self.policy_b = PolicyEditor("zoom", seed=2)
        self.policy_b.setObjectName("policyB")
        self.scenario_editor = ScenarioEditor()
        self.herd_editor = HerdEditor()
        self.live = LiveSection()

        policy_box = _group("Policy", self.policy_a)
        self.compare_box = _group("Compare with", self.policy_b)
        self.compare_box.setCheckable(True)
        self.compare_box.setChecked(False)
        self._fold_compare(False)
        sidebar = QWidget()
        column = QVBoxLayout(sidebar)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(10)
        for box in (
            policy_box,
            self.compare_box,
            _group("Failure scenario", self.scenario_editor),
            _group("Many events", self.herd_editor),
            _group("Live run", self.live),
        ):
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(sidebar)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(SIDEBAR_WIDTH)
        self.sidebar = scroll

        self.plot = TimelinePlot()
        self.plot.setObjectName("timelinePlot")
        self.plot.setMinimumHeight(180)
        self.legend = QLabel(_legend_html())
        self.draw_outage = QToolButton()
        self.draw_outage.setText("Draw outage")
        self.draw_outage.setCheckable(True)
        self.draw_outage.setToolTip(
            "Drag on the timeline to draw a window when the receiver is down (or Shift+drag at "
            "any time)"
        )
        self.log_time = QCheckBox("Log time")
        self.log_time.setToolTip("A logarithmic time axis: seconds and days on one screen")
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Show every attempt (the wheel zooms, a drag pans)")
        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(8, 6, 8, 0)
        toolbar.addWidget(self.legend)
        toolbar.addStretch(1)
        toolbar.addWidget(self.draw_outage)
        toolbar.addWidget(self.log_time)
        toolbar.addWidget(self.fit_button)

        self.attempts_a, self.table_a, self.summary_a, pane_a = _attempts_pane(self)
        self.attempts_b, self.table_b, self.summary_b, self.pane_b = _attempts_pane(self)
        self.pane_b.setVisible(False)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(pane_a)
        tables.addWidget(self.pane_b)
        tables.setChildrenCollapsible(False)
        self.herd_view = HerdView()
        self.live_model, self.live_table, self.live_result, self.live_tab = _attempts_pane(self)
        self.live_result.setText("")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(tables, "Attempts")
        self.tabs.addTab(self.herd_view, "Many events")
        self.tabs.addTab(self.live_tab, "Live run")

        plot_area = QWidget()
        plot_layout = QVBoxLayout(plot_area)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.setSpacing(4)
        plot_layout.addLayout(toolbar)
        plot_layout.addWidget(self.plot, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(plot_area)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([SIDEBAR_WIDTH + 20, 1000])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def _connect(self) -> None:
        self.policy_a.changed.connect(self.recompute)
        self.policy_b.changed.connect(self.recompute)
        self.scenario_editor.changed.connect(self.recompute)
        self.herd_editor.changed.connect(self._on_herd_edited)
        self.compare_box.toggled.connect(self._on_compare)
        self.log_time.toggled.connect(self._on_log_time)
        self.fit_button.clicked.connect(lambda _checked=False: self.plot.fit())
        self.draw_outage.toggled.connect(self.plot.set_draw_mode)
        self.plot.outage_drawn.connect(self.scenario_editor.add_outage)
        self.plot.outage_moved.connect(self.scenario_editor.move_outage)
        self.plot.attempt_clicked.connect(self._select_attempt)
        self.live.run_clicked.connect(self.start_live)
        self.live.stop_clicked.connect(self.stop_live)

    # -- single events -----------------------------------------------------------------------

    @staticmethod
    def _simulate(editor: PolicyEditor, scenario: Any) -> Timeline | None:
        policy = editor.policy()
        return None if policy is None else simulate(policy, scenario, Random(editor.seed_value))

    def _show_timeline(
        self, timeline: Timeline | None, editor: PolicyEditor, model: AttemptsModel, label: QLabel
    ) -> None:
        model.set_attempts(() if timeline is None else timeline.attempts)
        if timeline is None:
            label.setText(f"<b>{editor.name}</b>: {editor.error}" if editor.error else "")
        else:
            label.setText(f"<b>{editor.name}</b>: {_ending(timeline)}")

    def _track_names(self) -> tuple[str, str]:
        a, b = self.policy_a.name, self.policy_b.name
        return (a, f"{b} (compared)") if a == b else (a, b)

    def _update_tracks(self) -> None:
        name_a, name_b = self._track_names()
        tracks = []
        for timeline, name in ((self.timeline_a, name_a), (self.timeline_b, name_b)):
            if timeline is not None:
                tracks.append(Track(name, timeline.attempts, _ending(timeline, short=True)))
        if self.live_attempts:
            ending = "running…" if self._live_run is not None else ""
            if self.live_summary is not None:
                ending = _live_ending(self.live_summary, short=True)
            tracks.append(Track("live", tuple(self.live_attempts), ending))
        self.plot.set_tracks(tracks)

    def _select_attempt(self, track: int, n: int) -> None:
        tracks = self.plot.tracks
        name = tracks[track].name if track < len(tracks) else ""
        if name == "live":
            model, table, tab = self.live_model, self.live_table, self.live_tab
        elif track == 0:
            model, table, tab = self.attempts_a, self.table_a, None
        else:
            model, table, tab = self.attempts_b, self.table_b, None
        row = model.row_of(n)
        if row is not None:
            self.tabs.setCurrentIndex(0) if tab is None else self.tabs.setCurrentWidget(tab)
            table.selectRow(row)

    def _on_compare(self, on: bool) -> None:
        self._fold_compare(on)
        self.pane_b.setVisible(on)
        self.recompute()

    def _fold_compare(self, on: bool) -> None:
        """Show the second policy's editor, or fold the group to its title (no empty frame)."""
        self.compare_box.setFlat(not on)
        layout = self.compare_box.layout()
        assert layout is not None
        layout.setContentsMargins(*((8, 6, 8, 8) if on else (0, 0, 0, 0)))
        self.policy_b.setVisible(on)

    def _on_log_time(self, on: bool) -> None:
        scale = TimeScale.LOG if on else TimeScale.LINEAR
        self.plot.set_scale(scale)
        self.herd_view.set_scale(scale)

    # -- herds -------------------------------------------------------------------------------

    def _on_herd_edited(self) -> None:
        if self.herd_editor.event_count and not self.herd_results:
            self.tabs.setCurrentWidget(self.herd_view)  # the first herd: show where it goes
        self.schedule_herd()

    def _herd_requests(self) -> tuple[HerdRequest, ...] | str:
        """The herds to simulate, or why there are none."""
        events = self.herd_editor.event_count
        if not events:
            return "Set a number of events under Many events to see a herd."
        scenario = self.scenario_editor.scenario()
        editors = [self.policy_a, self.policy_b] if self.comparing else [self.policy_a]
        requests = []
        for editor, name in zip(editors, self._track_names(), strict=False):
            policy = editor.policy()
            if policy is None:
                return f"{editor.name}: {editor.error}"
            requests.append(
                HerdRequest(
                    name,
                    policy,
                    scenario,
                    events,
                    editor.seed_value,
                    self.herd_editor.release_over_s,
                    self.herd_editor.capacity_per_s,
                )
            )
        return tuple(requests)

    def _submit_herd(self) -> None:
        requests = self._herd_requests()
        if isinstance(requests, str):
            self._herd.cancel()
            self.herd_results = []
            self.herd_view.show_message(requests)
            self.herd_changed.emit()
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # embedded without the app's qasync loop: nothing could run it
            self.herd_view.show_message("herds need the app's event loop", error=True)
            return
        self.herd_view.show_busy(sum(r.events for r in requests))
        self._herd.submit(run_herds, requests)

    def _show_herd(self, results: list[HerdPlotData]) -> None:
        self.herd_results = results
        self.herd_view.show_results(results)
        self.herd_changed.emit()

    def _show_herd_error(self, message: str) -> None:
        self.herd_results = []
        self.herd_view.show_message(message, error=True)
        self.herd_changed.emit()

    # -- live runs ---------------------------------------------------------------------------

    async def _run_live(self, run: LiveRunLike) -> None:
        summary: LiveSummary | None = None
        try:
            summary = await run.run(on_attempt=self.show_live_attempt)
        finally:
            self._live_run = None
            self._live_task = None
            self.live.set_running(False)
            self.live_summary = summary
            if summary is None:
                self.live.status.setText("stopped")
            else:
                self.live.status.setText(_live_ending(summary))
                self.live_result.setText(f"<b>live</b>: {_live_ending(summary)}")
            self._update_tracks()
            self.live_finished.emit(summary)

    # -- look --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            palette = QApplication.palette()
            self.plot.restyle(palette)
            self.herd_view.restyle(palette)
            self.legend.setText(_legend_html())
        super().changeEvent(event)


def _group(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 8)
    layout.addWidget(content)
    return box


def _attempts_pane(parent: QWidget) -> tuple[AttemptsModel, QTableView, QLabel, QWidget]:
    model = AttemptsModel(parent)
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    vertical = table.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    horizontal = table.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setStretchLastSection(True)
    horizontal.setHighlightSections(False)
    for column, width in enumerate((36, 104, 104, 90)):
        table.setColumnWidth(column, width)
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    pane = QWidget()
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(8, 6, 8, 6)
    layout.addWidget(label)
    layout.addWidget(table, 1)
    return model, table, label, pane


def _ending(timeline: Timeline, short: bool = False) -> str:
    last = timeline.attempts[-1].n
    if timeline.delivered_at_s is not None:
        when = format_duration(timeline.delivered_at_s)
        return f"delivered {when}" if short else f"delivered at {when} on attempt {last}"
    assert timeline.gave_up_at_s is not None
    when = format_duration(timeline.gave_up_at_s)
    reason = _STOPS.get(timeline.stop, "") if timeline.stop is not None else ""
    if short:
        return f"gave up {when}"
    plural = "s" if last != 1 else ""
    return f"gave up at {when} after {last} attempt{plural}: {reason}"


def _live_ending(summary: LiveSummary, short: bool = False) -> str:
    if summary.cancelled:
        count = len(summary.attempts)
        return f"stopped after {count} attempt{'' if count == 1 else 's'}"
    if short:
        when = summary.delivered_at_s if summary.delivered else summary.gave_up_at_s
        verb = "delivered" if summary.delivered else "gave up"
        return f"{verb} {format_duration(when or 0.0)}"
    if summary.delivered_at_s is not None:
        return (
            f"delivered at {format_duration(summary.delivered_at_s)} of schedule "
            f"({summary.duration_s:.1f} s real)"
        )
    gave_up = format_duration(summary.gave_up_at_s or 0.0)
    reason = _STOPS.get(summary.stop, "") if summary.stop is not None else ""
    return f"gave up at {gave_up} of schedule: {reason}"


def _legend_html() -> str:
    colors = {outcome: color.name() for outcome, color in OUTCOME_COLORS.items()}
    return (
        f'<span style="color:{colors[Outcome.SUCCESS]}">●</span> success &nbsp; '
        f'<span style="color:{colors[Outcome.FAILURE]}">●</span> failure &nbsp; '
        f'<span style="color:{colors[Outcome.FAILURE]}">✕</span> refused (down) &nbsp; '
        f'<span style="color:{colors[Outcome.TIMEOUT]}">◆</span> timeout &nbsp; '
        '<span style="color:#d0443a; opacity:0.5">▮</span> outage'
    )
