"""The main window: header, filter bar, the live capture table and the selected capture.

The window only assembles: the captures it lists are a CaptureView's (hookscope.core.view,
run by LiveView), what its actions do lives in hookscope.ui.capture_actions and its menus in
hookscope.ui.actions.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.events import CapturesAdded, Event
from hookscope.core.model import Capture
from hookscope.core.send.sender import SendResult
from hookscope.core.session import Session
from hookscope.core.view import ViewListener
from hookscope.ui.actions import WindowActions
from hookscope.ui.asyncqt import spawn
from hookscope.ui.capture_actions import CaptureActions
from hookscope.ui.composer.panel import ComposerPanel
from hookscope.ui.filtering import Filtering
from hookscope.ui.forwarding import install as install_forwarding
from hookscope.ui.listening import Listening
from hookscope.ui.live_view import LiveView
from hookscope.ui.models.capture_table import COLUMNS, CaptureTableModel
from hookscope.ui.rules_panel import RulesPanel
from hookscope.ui.signature_control import SignatureControl, load_signature_settings
from hookscope.ui.simulator_tab import SimulatorTab
from hookscope.ui.undo_delete import UndoDelete
from hookscope.ui.verdict_cache import VerdictCache
from hookscope.ui.widgets.column_menu import install_column_menu
from hookscope.ui.widgets.detail_pane import DetailPane
from hookscope.ui.widgets.empty_state import EmptyState
from hookscope.ui.widgets.filter_bar import FilterBar
from hookscope.ui.widgets.header_bar import HeaderBar
from hookscope.ui.window_state import restore_state, save_state

if TYPE_CHECKING:
    from hookscope.ui.simulator import SimulatorPanel

__all__ = ["MainWindow"]

ROW_HEIGHT = 22
COLUMN_WIDTHS = (22, 34, 92, 62, 220, 56, 64, 130, 170, 120)


class _Detail(ViewListener):
    """The detail pane never shows a capture that left the list."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window

    def rows_removed(self, ids: frozenset[int]) -> None:
        capture = self.w.detail.capture
        if capture is not None and capture.id in ids:
            self.w.detail.show_nothing()

    def rows_reset(self) -> None:
        capture = self.w.detail.capture
        view = self.w.live.view
        if capture is not None and view.row(capture.id or 0) is None:  # cleared or deleted
            self.w.detail.show_nothing()

    def row_changed(self, row: Any) -> None:
        capture = self.w.detail.capture
        if capture is not None and capture.id == row.id:
            self.w.detail.show_capture_id(row.id)


class MainWindow(QMainWindow):
    # Dialogs the actions open, held so they are not collected while open (tests read them).
    _confirm: QMessageBox
    _import_error: QMessageBox
    _note_dialog: QDialog
    _replay_dialog: QDialog
    _compare_dialog: QDialog
    _export_dialog: QDialog
    _settings_dialog: QDialog

    def __init__(
        self, session: Session, settings: QSettings, request_quit: Callable[[], None]
    ) -> None:
        super().__init__()
        self.session = session
        self.store = session.store
        self.settings = settings
        self.request_quit = request_quit
        self.setWindowTitle("hookscope")
        self.live = LiveView(self.store, self)
        self.view = self.live.view

        self.header = HeaderBar()
        self.filter_bar = FilterBar()
        self.verdicts = VerdictCache(self.store, load_signature_settings(self), self)
        self.model = CaptureTableModel(self, newest_first=True, verdicts=self.verdicts)
        self.model.attach(self.view)
        self.table = QTableView()
        self.table.setObjectName("captureTable")
        self.table.setModel(self.model)
        self._configure_table()
        self.detail = DetailPane(self.store, self.verdicts)
        self.empty_state = EmptyState()
        self.empty_state.sample_requested.connect(self.send_sample)
        self._sample_pending = False
        self.table_stack = QStackedWidget()  # the table, or what to do while it is empty
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty_state)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        captures = QWidget()
        captures_layout = QVBoxLayout(captures)
        captures_layout.setContentsMargins(0, 4, 0, 0)
        captures_layout.setSpacing(0)
        captures_layout.addWidget(self.filter_bar)
        captures_layout.addWidget(self.splitter, 1)
        self.composer = ComposerPanel(self.store)
        self.composer.sent.connect(self._on_sent)
        self.pages = QTabWidget()
        self.pages.setObjectName("pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(captures, "Captures")
        self.pages.addTab(self.composer, "Send")
        self._build_rules(session)
        self.simulator_tab = SimulatorTab(self.pages, 2, lambda: self.session.url)
        self._simulator_page = self.simulator_tab.page
        self.pages.addTab(self.rules_panel, "Fault rules")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.store_label = QLabel(str(self.store.path))
        self.statusBar().addPermanentWidget(self.store_label)
        self.undo_bar = UndoDelete(self.view.pending, self.live.undo_delete)
        self.statusBar().addPermanentWidget(self.undo_bar)

        self.filtering = Filtering(self)
        self.signatures = SignatureControl(self)
        self.listening = Listening(self)
        self.do = CaptureActions(self)
        self.undo_bar.restored.connect(self.do.restored)
        self.acts = WindowActions(self, self.do)
        self._expose_for_scripts()
        self.forwarding_ui = install_forwarding(self)
        self.verdicts.reset.connect(self.filtering.signatures_changed)
        self.detail.signature.settings_requested.connect(self.signatures.edit)
        self.detail.query_requested.connect(self.filtering.show_query)
        self.view.subscribe(_Detail(self))
        self.live.applied.connect(self._on_events)
        self.live.history_loaded.connect(self._history_loaded)
        self.model.rowsInserted.connect(self._follow)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.setAcceptDrops(True)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.update_counts)
        self._ticker.start()
        restore_state(self)

    # -- construction ---------------------------------------------------------------------

    def _build_rules(self, session: Session) -> None:
        self.rules_panel = RulesPanel(session.rules)
        self.rules_panel.applied.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.rules_panel.live_changed.connect(self.header.show_rules)
        self.header.rules_requested.connect(lambda: self.pages.setCurrentWidget(self.rules_panel))
        self.header.show_rules(self.rules_panel.active_count(), since_last_time=True)

    def _configure_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        vertical.hide()
        horizontal = table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(True)
        horizontal.setHighlightSections(False)
        for column, width in enumerate(COLUMN_WIDTHS[: len(COLUMNS)]):
            table.setColumnWidth(column, width)
        install_column_menu(table)  # show/hide columns, sort by time or id

    def _expose_for_scripts(self) -> None:
        """The actions' work under the names scripts and tests use on the window."""
        do, acts = self.do, self.acts
        self.copy_as, self.save_body_as = do.copy_as, do.save_body_as
        self.write_body = do.write_body
        self.delete_selected, self.clear_all = do.delete_selected, do.clear_all
        self.toggle_star, self.edit_note = do.toggle_star, do.edit_note
        self.replay_to, self._replay = do.replay_to, do.replay
        self.edit_and_resend = do.edit_and_resend
        self.compare_selected, self.export_captures = do.compare_selected, do.export_captures
        self.choose_import, self.import_files = do.choose_import, do.import_files
        self.set_filter_text, self.show_query = self.filtering.set_text, self.filtering.show_query
        self.focus_filter, self.show_filter_help = self.filtering.focus, self.filtering.show_help
        self.edit_signature_settings = self.signatures.edit
        self.listen_on = self.listening.listen_on
        self.redact_copies, self.newest_first, self.follow = (
            acts.redact_copies, acts.newest_first, acts.follow
        )  # fmt: skip

    @property
    def simulator(self) -> SimulatorPanel | None:
        return self.simulator_tab.panel

    def simulator_panel(self) -> SimulatorPanel:
        """The retry simulator, built on first use."""
        return self.simulator_tab.build()

    # -- start and stop -------------------------------------------------------------------

    async def start(self) -> None:
        """Listen, and show the store's history: the newest page now, the rest after."""
        self.listening.listen_on(self.session.port)
        await self.live.load()
        self.update_counts()
        self.composer.refresh_history()  # in the background: the captures come first

    def _history_loaded(self) -> None:
        selected = self.detail.capture.id if self.detail.capture else None
        if selected is not None and self.view.capture_filter is None:
            self.select_id(selected)
        self.update_counts()
        # The history's rows live as long as the window and hold no cycles: moved out of the
        # collector's sight, they no longer make every full collection (a GUI pause) slower.
        gc.collect()
        gc.freeze()

    def shutdown(self) -> None:
        """Part of the app's one way out: save state, stop listening to the feed."""
        save_state(self)
        self.session.unexpose()  # the tunnel ends with the app
        if self.simulator is not None:
            self.simulator.shutdown()
        self._ticker.stop()
        self.live.stop()  # what the user deleted is written now (`finish` waits for it)

    async def finish(self) -> None:
        """After `shutdown`: wait for the store writes still running."""
        await self.live.finish()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # the app quits after its async cleanup, not when Qt closes the window
        self.request_quit()

    # -- live updates ---------------------------------------------------------------------

    def _on_events(self, events: Sequence[Event]) -> None:
        if self._sample_pending:
            for event in events:
                if isinstance(event, CapturesAdded):
                    self._select_sample(event.captures)
        self.update_counts()

    def _follow(self, _parent: QModelIndex, first: int, _last: int) -> None:
        if not self.acts.follow.isChecked():
            return
        if self.model.newest_first and first == 0:
            self.table.scrollToTop()
        elif not self.model.newest_first:
            self.table.scrollToBottom()

    def update_counts(self) -> None:
        counts = self.view.counts()
        self.header.show_counts(counts.total, counts.shown, counts.per_second)
        # While a delete can be undone the table stays, and with it the focus Ctrl+Z needs.
        self.table_stack.setCurrentWidget(self.empty_state if self.view.is_empty() else self.table)

    # -- selection ------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.show_capture_id(self.model.summary(current.row()).id)

    def selected_ids(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(self.model.summary(r).id for r in rows)

    def select_id(self, capture_id: int) -> bool:
        self.model.flush()
        row = self.model.row_of(capture_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    # -- the first capture, sends, drops --------------------------------------------------

    def send_sample(self) -> Any:
        return spawn(self._send_sample(), name="send sample")

    async def _send_sample(self) -> None:
        from hookscope.ui.asyncqt import in_thread
        from hookscope.ui.sample_event import send_sample, with_demo_setting

        added = with_demo_setting(self.verdicts.settings)
        if added is not None:
            await in_thread(added.save)
            self.verdicts.set_settings(added)
        self._sample_pending = True
        result = await send_sample(self.session.url)
        if result.error:
            self._sample_pending = False
            self.statusBar().showMessage(f"sample not sent: {result.error}", 8000)

    def _select_sample(self, captures: Sequence[Capture]) -> None:
        from hookscope.ui.sample_event import SAMPLE_PATH

        for capture in captures:
            if capture.path == SAMPLE_PATH and capture.id is not None:
                self._sample_pending = False
                self.select_id(capture.id)
                self.statusBar().showMessage(
                    "a signed sample event: its body is in Body, its ✓ in Signature", 8000
                )

    def _on_sent(self, result: SendResult) -> None:
        if result.error:
            self.statusBar().showMessage(f"not sent: {result.error}", 8000)
        else:
            self.statusBar().showMessage(
                f"sent: {result.status}; the answer is in the Send tab", 4000
            )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.do.import_files(paths)
