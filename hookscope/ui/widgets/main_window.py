"""The main window: header, filter bar, the live capture table and the selected capture."""

from __future__ import annotations

import asyncio
import gc
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QFileSystemWatcher,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QInputDialog,
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

from hookscope.core.errors import HookscopeError, PortInUseError
from hookscope.core.events import (
    CaptureChanged,
    CapturesAdded,
    CapturesCleared,
    CapturesDeleted,
    Event,
)
from hookscope.core.eventtype import detect_event_type
from hookscope.core.model import Capture, CaptureSummary, summarize
from hookscope.core.rate import RateMeter
from hookscope.core.send.sender import SendResult
from hookscope.core.session import Session
from hookscope.core.signature_settings import SignatureSettings, default_settings_path
from hookscope.ui.asyncqt import in_thread, spawn
from hookscope.ui.bridge import FeedBridge
from hookscope.ui.composer.panel import ComposerPanel
from hookscope.ui.forwarding import install as install_forwarding
from hookscope.ui.models.capture_table import COLUMNS, CaptureTableModel
from hookscope.ui.plurals import plural
from hookscope.ui.rules_panel import RulesPanel
from hookscope.ui.undo_delete import UndoDelete
from hookscope.ui.verdict_cache import VerdictCache
from hookscope.ui.widgets.column_menu import install_column_menu, restore_header
from hookscope.ui.widgets.detail_pane import DetailPane
from hookscope.ui.widgets.empty_state import EmptyState
from hookscope.ui.widgets.export_dialog import ExportDialog, ExportScope
from hookscope.ui.widgets.filter_bar import FilterBar
from hookscope.ui.widgets.header_bar import HeaderBar
from hookscope.ui.widgets.help_pages import install_help
from hookscope.ui.widgets.signature_settings_dialog import SignatureSettingsDialog

if TYPE_CHECKING:
    from hookscope.ui.simulator import SimulatorPanel

__all__ = ["MainWindow"]

FIRST_PAGE = 500  # shown at once on start; older history follows in the background
ROW_HEIGHT = 22


class MainWindow(QMainWindow):
    def __init__(
        self, session: Session, settings: QSettings, request_quit: Callable[[], None]
    ) -> None:
        super().__init__()
        self.session = session
        self.store = session.store
        self.settings = settings
        self.request_quit = request_quit
        self.setWindowTitle("hookscope")
        self.rate = RateMeter()
        self._all: list[CaptureSummary] = []  # every stored capture's row, arrival order
        self._history_ready = False
        self._filter: Any = None  # the compiled filter, None for "everything"
        self._filter_task: asyncio.Task[None] | None = None
        self._history_task: asyncio.Task[None] | None = None
        path = default_settings_path()
        self._settings_stamp = path.stat().st_mtime_ns if path.exists() else None

        self.header = HeaderBar()
        self.filter_bar = FilterBar()
        self.verdicts = VerdictCache(self.store, _load_signature_settings(self), self)
        self.verdicts.reset.connect(self._signatures_changed)
        self.model = CaptureTableModel(self, newest_first=True, verdicts=self.verdicts)
        self.table = QTableView()
        self.table.setObjectName("captureTable")
        self.table.setModel(self.model)
        self._configure_table()
        self.detail = DetailPane(self.store, self.verdicts)
        self.detail.signature.settings_requested.connect(self.edit_signature_settings)
        self.detail.query_requested.connect(self.show_query)
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
        self.rules_panel = RulesPanel(session.rules)
        self.rules_panel.applied.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.rules_panel.live_changed.connect(self.header.show_rules)
        self.header.rules_requested.connect(lambda: self.pages.setCurrentWidget(self.rules_panel))
        self.header.show_rules(self.rules_panel.active_count(), since_last_time=True)
        # The simulator (and pyqtgraph) is built the first time its tab is opened: most
        # sessions never open it, and the window shows sooner without it.
        self.simulator: SimulatorPanel | None = None
        self._simulator_page = QWidget()
        QVBoxLayout(self._simulator_page).setContentsMargins(0, 0, 0, 0)
        self.pages.insertTab(2, self._simulator_page, "Retry simulator")
        self.pages.currentChanged.connect(self._page_shown)
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
        self.undo_bar = UndoDelete(self.store.delete)
        self.undo_bar.restored.connect(self._restore_rows)
        self.statusBar().addPermanentWidget(self.undo_bar)

        self._make_actions()
        self.forwarding_ui = install_forwarding(self)
        self.bridge = FeedBridge(self.store.feed, self)
        self.bridge.events_ready.connect(self._on_events)
        self.model.rowsInserted.connect(self._follow)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.header.listen_requested.connect(self.listen_on)
        self.header.public.start_requested.connect(self.go_public)
        self.header.public.stop_requested.connect(self.stop_public)
        self.filter_bar.query_changed.connect(self.set_filter_text)
        self.filter_bar.help_requested.connect(self.show_filter_help)
        self.setAcceptDrops(True)
        # Settings saved elsewhere (another window, an editor, a script) apply at once. The
        # folder is watched, not the file: saving replaces the file atomically.
        self._settings_watch = QFileSystemWatcher(self)
        settings_dir = default_settings_path().parent
        settings_dir.mkdir(parents=True, exist_ok=True)
        self._settings_watch.addPath(str(settings_dir))
        self._settings_watch.directoryChanged.connect(lambda _: self._reload_signature_settings())
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._update_counts)
        self._ticker.start()
        self._restore_state()

    # -- construction ---------------------------------------------------------------------

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
        widths = (22, 34, 92, 62, 220, 56, 64, 130, 170, 120)
        for column, width in enumerate(widths[: len(COLUMNS)]):
            table.setColumnWidth(column, width)
        install_column_menu(table)  # show/hide columns, sort by time or id

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: Any = None,
        tip: str = "",
        *,
        table_key: bool = False,
    ) -> QAction:
        """A window-wide action; with `table_key`, its key works only while the capture table
        has focus (Delete, Ctrl+C, Ctrl+Z belong to whatever text or editor has focus)."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        if table_key:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        else:
            self.addAction(action)
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.copy_curl = self._action(
            "Copy as curl",
            self.copy_as_curl,
            keys.Copy,
            "Copy the selected captures as curl commands",
            table_key=True,
        )
        self.save_body = self._action(
            "Save body…",
            self.save_body_as,
            keys.Save,
            "Save the selected capture's body, exactly as received",
        )
        self.copy_httpie = self._action("Copy as HTTPie", lambda: self.copy_as("httpie"))
        self.copy_python = self._action("Copy as Python (httpx)", lambda: self.copy_as("python"))
        self.redact_copies = QAction("Redact copies", self, checkable=True)
        self.redact_copies.setStatusTip(
            "Mask Authorization, cookies, signatures and secret-looking fields in what you copy"
        )
        self.replay = self._action(
            "Replay to…",
            self.replay_to,
            "Ctrl+R",
            "Send the selected captures again, byte for byte, to a URL",
        )
        self.edit_resend = self._action(
            "Edit and resend",
            self.edit_and_resend,
            "Ctrl+Shift+R",
            "Open the capture in the composer, re-signed on send",
        )
        self.compare = self._action(
            "Compare two captures",
            self.compare_selected,
            "Ctrl+K",
            "What differs between the two selected captures (JSON compared by path)",
        )
        self.delete = self._action(
            "Delete", self.delete_selected, keys.Delete, "Delete (undo with Ctrl+Z)", table_key=True
        )
        self.undo_delete = self._action(
            "Undo delete", self.undo_bar.undo, keys.Undo, table_key=True
        )
        self.clear = self._action("Clear all…", self.clear_all, "Ctrl+L")
        self.star = self._action("Star", self.toggle_star, "Ctrl+D")
        self.note = self._action("Note…", self.edit_note, "F2")
        self.find_action = self._action("Filter", self.focus_filter, keys.Find)
        self.export = self._action(
            "Export…", self.export_captures, "Ctrl+E", "Export selected, filtered or all captures"
        )
        self.import_ = self._action(
            "Import…",
            self.choose_import,
            "Ctrl+I",
            "Import a HAR or NDJSON file (or drop one on the window)",
        )
        self.quit = self._action("Quit", self.request_quit, keys.Quit)
        self.newest_first = QAction("Newest first", self, checkable=True, checked=True)
        self.newest_first.toggled.connect(self.model.set_newest_first)
        self.model.layoutChanged.connect(lambda: self.newest_first.setChecked(self.model.newest_first))  # noqa: E501
        self.follow = QAction("Follow new captures", self, checkable=True, checked=True)
        self.signature_settings = self._action(
            "Signature settings…",
            self.edit_signature_settings,
            "Ctrl+Shift+S",
            "Secrets and schemes that verify captures, per path pattern",
        )
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (self.save_body, self.export, self.import_):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = menus.addMenu("&Edit")
        copies: list[QAction] = [self.copy_curl, self.copy_httpie, self.copy_python]
        for action in (*copies, self.redact_copies):
            edit.addAction(action)
        edit.addSeparator()
        for action in (
            self.replay,
            self.edit_resend,
            self.compare,
            self.star,
            self.note,
            self.find_action,
        ):
            edit.addAction(action)
        edit.addAction(self.signature_settings)
        edit.addSeparator()
        edit.addAction(self.delete)
        edit.addAction(self.undo_delete)
        edit.addAction(self.clear)
        view = menus.addMenu("&View")
        view.addAction(self.newest_first)
        view.addAction(self.follow)
        help_menu = menus.addMenu("&Help")
        self.help_pages = install_help(self, help_menu)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        row_actions = [
            self.replay,
            self.edit_resend,
            self.compare,
            self.save_body,
            self.star,
            self.note,
        ]
        for action in (*copies, *row_actions, self.delete):
            self.table.addAction(action)

    # -- start and stop -------------------------------------------------------------------

    def start(self) -> None:
        """Listen, and show the store's history: the newest page at once, the rest after."""
        self.listen_on(self.session.port)
        first = self.store.summaries(limit=FIRST_PAGE)
        self._all = list(reversed(first))
        self.model.set_rows(self._all)
        if len(first) == FIRST_PAGE:
            self._history_task = spawn(self._load_older(first[-1].id), name="load history")
        else:
            self._history_ready = True
        self._update_counts()

    async def _load_older(self, before_id: int) -> None:
        older = await in_thread(
            lambda: list(reversed(self.store.summaries(before_id=before_id, limit=10**9)))
        )
        hidden = self.undo_bar.hidden_ids()
        older = [row for row in older if row.id not in hidden]
        self._all[0:0] = older
        self._history_ready = True
        if self._filter is None:
            selected = self.detail.capture.id if self.detail.capture else None
            self.model.set_rows(self._all)
            if selected is not None:
                self.select_id(selected)
        else:
            self._refilter()
        self._update_counts()
        # The history's rows live as long as the window and hold no cycles: moved out of the
        # collector's sight, they no longer make every full collection (a GUI pause) slower.
        gc.collect()
        gc.freeze()

    def listen_on(self, port: int) -> None:
        if self.session.start_receiver(port):
            self.header.show_listening(self.session.url, self.session.port)
            self.empty_state.show_url(self.session.url)
            self.composer.set_base_url(self.session.url)
            if self.simulator is not None:
                self.simulator.set_receiver_url(self.session.url)
            self.settings.setValue("port", self.session.port)
            self.statusBar().showMessage(f"listening on {self.session.url}", 5000)
            return
        error = self.session.error
        suggestion = error.suggestion if isinstance(error, PortInUseError) else None
        still = self.session.url if self.session.listening else None
        if isinstance(error, PortInUseError):
            message = f"port {error.port} is in use"
            message += (
                f" — still listening on {still}" if still else " — pick another and press Listen"
            )
        else:
            message = str(error) + (f" — still listening on {still}" if still else "")
        self.header.show_error(message, suggestion, still)
        self.statusBar().showMessage(message, 8000)

    def go_public(self, kind: str, target: str, guards: object) -> None:
        """Open a tunnel of `kind` to the receiver, with `guards` (a GuardSettings)."""
        from hookscope.core.errors import HookscopeError
        from hookscope.core.guards import GuardSettings
        from hookscope.core.tunnels import TunnelStatus, make_provider
        from hookscope.core.tunnels.public import Exposure

        control = self.header.public
        try:
            provider = make_provider(kind, target or None)
        except HookscopeError as exc:
            control.show_error(str(exc))
            return
        assert isinstance(guards, GuardSettings)

        def on_change(status: TunnelStatus) -> None:  # the tunnel's thread: hand over to Qt
            control.status_changed.emit(status, exposure.public_url(status))

        exposure = Exposure(
            provider, guards, signatures=lambda: self.verdicts.settings, on_change=on_change
        )
        if not self.session.expose(exposure):
            control.show_error("not listening: start the receiver first")
            return
        control.set_running(True)

    def stop_public(self) -> None:
        self.session.unexpose()
        self.header.public.set_running(False)
        self.header.public.state.setText("")

    def shutdown(self) -> None:
        """Part of the app's one way out: save state, stop listening to the feed."""
        self._save_state()
        self.session.unexpose()  # the tunnel ends with the app
        if self.simulator is not None:
            self.simulator.shutdown()
        self.bridge.close()
        self._ticker.stop()
        self.undo_bar.commit_all()  # what the user deleted stays deleted
        for task in (self._filter_task, self._history_task):
            if task is not None:
                task.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # the app quits after its async cleanup, not when Qt closes the window
        self.request_quit()

    # -- live updates ---------------------------------------------------------------------

    def _on_events(self, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, CapturesAdded):
                self._add_captures(event.captures)
            elif isinstance(event, CapturesDeleted):
                doomed = set(event.ids)
                self._all = [s for s in self._all if s.id not in doomed]
                self.model.remove_ids(doomed)
                if self.detail.capture is not None and self.detail.capture.id in doomed:
                    self.detail.show_nothing()
            elif isinstance(event, CapturesCleared):
                self._all = []
                self.model.set_rows([])
                self.detail.show_nothing()
            elif isinstance(event, CaptureChanged):
                self._mark_changed(event)
            if self._sample_pending and isinstance(event, CapturesAdded):
                self._select_sample(event.captures)
        self._update_counts()

    def _add_captures(self, captures: Sequence[Capture]) -> None:
        self.rate.add(len(captures))
        rows = [summarize(c, detect_event_type(c.headers, c.body)) for c in captures]
        self._all.extend(rows)
        if self._filter is None:
            self.model.queue_rows(rows)
        else:
            self.model.queue_rows(
                row
                for row, c in zip(rows, captures, strict=True)
                if self._filter.matches_capture(c)
            )

    def _mark_changed(self, event: CaptureChanged) -> None:
        for position, row in enumerate(self._all):
            if row.id == event.capture_id:
                changed = replace(row, starred=event.starred, note=event.note)
                self._all[position] = changed
                self.model.replace(changed)
                break
        if self.detail.capture is not None and self.detail.capture.id == event.capture_id:
            self.detail.show_capture_id(event.capture_id)

    def _follow(self, _parent: QModelIndex, first: int, _last: int) -> None:
        if not self.follow.isChecked():
            return
        if self.model.newest_first and first == 0:
            self.table.scrollToTop()
        elif not self.model.newest_first:
            self.table.scrollToBottom()

    def _update_counts(self) -> None:
        total = len(self._all) if self._history_ready else self.store.count()
        shown = self.model.rowCount() if self._filter is not None else total
        self.header.show_counts(total, shown, self.rate.per_second())
        # While a delete can be undone the table stays, and with it the focus Ctrl+Z needs.
        empty = total == 0 and self._filter is None and not self.undo_bar.hidden_ids()
        self.table_stack.setCurrentWidget(self.empty_state if empty else self.table)

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

    # -- filtering ------------------------------------------------------------------------

    def set_filter_text(self, text: str) -> None:
        from hookscope.core.filters import FilterError, compile_filter

        self.settings.setValue("filter", text)
        try:
            compiled = compile_filter(text, signatures=self.verdicts.settings)
        except FilterError as exc:
            self.filter_bar.show_error(str(exc), exc.position, exc.length)
            return
        self.filter_bar.show_error("")
        self._filter = compiled if text.strip() else None
        self._refilter()

    def _signatures_changed(self) -> None:
        """New secrets, new verdicts: a sig: filter is checked again."""
        text = self.filter_bar.edit.text()
        if "sig:" in text.lower():
            self.set_filter_text(text)

    def _refilter(self) -> None:
        if self._filter_task is not None:
            self._filter_task.cancel()
        if self._filter is None:
            self.model.set_rows(self._all)
            self._update_counts()
            return
        self._filter_task = spawn(self._apply_filter(self._filter), name="filter")

    async def _apply_filter(self, compiled: Any) -> None:
        from hookscope.core.filters import FilterCancelledError
        from hookscope.core.store.filtering import select_ids

        rows = list(self._all)
        self.statusBar().showMessage("filtering…")

        # A newer query makes this run stale: the worker checks and stops early.
        def stale() -> bool:
            return compiled is not self._filter

        try:
            ids = set(await in_thread(select_ids, self.store, compiled, rows, cancel=stale))
        except FilterCancelledError:
            return
        if stale():
            return
        self.model.set_rows([row for row in rows if row.id in ids])
        shown = self.detail.capture
        if shown is not None and shown.id not in ids:  # no details of a capture not listed
            self.detail.show_nothing()
        self.statusBar().showMessage(plural(len(ids), "match"), 3000)
        self._update_counts()

    def show_query(self, query: str) -> None:
        """Filter the table by `query` at once (e.g. every delivery of one event)."""
        self.filter_bar.edit.setText(query)
        self.set_filter_text(query)

    def focus_filter(self) -> None:
        self.filter_bar.edit.setFocus()
        self.filter_bar.edit.selectAll()

    def show_filter_help(self) -> None:
        self.help_pages.show_page("filter")

    # -- actions --------------------------------------------------------------------------

    def copy_as_curl(self) -> None:
        self.copy_as("curl")

    def copy_as(self, kind: str) -> str:
        """Copy the selected captures as curl, HTTPie or Python (httpx), aimed at this
        receiver, bodies byte for byte; redacted when "Redact copies" is on."""
        from hookscope.core.formats.curl import curl_command
        from hookscope.core.formats.httpie import httpie_command
        from hookscope.core.formats.python_httpx import python_httpx_snippet
        from hookscope.core.redact import Redactor

        build = {"curl": curl_command, "httpie": httpie_command, "python": python_httpx_snippet}
        ids = self.selected_ids()
        if not ids:
            return ""
        redactor = Redactor() if self.redact_copies.isChecked() else None
        pieces = []
        for capture in self.store.iter_captures(ids):
            try:
                pieces.append(build[kind](capture, self.session.url, redactor))
            except HookscopeError as exc:
                pieces.append(f"# capture {capture.id}: {exc}")
        text = "\n\n".join(pieces) + "\n"
        QGuiApplication.clipboard().setText(text)
        redacted = ", secrets redacted" if redactor is not None else ""
        self.statusBar().showMessage(
            f"copied {plural(len(ids), 'capture')} as {kind}{redacted}", 3000
        )
        return text

    def save_body_as(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        capture_id = ids[0]
        dialog = QFileDialog(self, "Save body", str(Path.home() / f"capture-{capture_id}.body"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self.write_body(capture_id, Path(path)))
        dialog.open()

    def write_body(self, capture_id: int, path: Path) -> None:
        try:
            path.write_bytes(self.store.body(capture_id))
        except OSError as exc:
            self.statusBar().showMessage(f"could not save: {exc.strerror}", 8000)
            return
        self.statusBar().showMessage(f"saved {path}", 5000)

    def delete_selected(self) -> None:
        """Gone from view at once; gone from the store when the undo window has passed."""
        doomed = set(self.selected_ids())
        if not doomed:
            return
        rows = [row for row in self._all if row.id in doomed]
        self._all = [row for row in self._all if row.id not in doomed]
        self.model.remove_ids(doomed)
        if self.detail.capture is not None and self.detail.capture.id in doomed:
            self.detail.show_nothing()
        message = self.undo_bar.hold(rows)
        them = "it" if len(rows) == 1 else "them"
        self.statusBar().showMessage(f"{message} — Ctrl+Z or Undo brings {them} back", 8000)
        self._update_counts()

    def _restore_rows(self, rows: list[CaptureSummary]) -> None:
        self._all = sorted([*self._all, *rows], key=lambda row: row.id)
        self._refilter()
        self.statusBar().showMessage(plural(len(rows), "capture") + " restored", 4000)
        if rows:
            self.select_id(rows[0].id)

    def clear_all(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Clear all captures",
            f"Delete all {len(self._all):,} captures from {self.store.path.name}?",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            self,
        )
        box.button(QMessageBox.StandardButton.Discard).setText("Delete all")
        box.finished.connect(
            lambda result: (
                self.store.clear() if result == QMessageBox.StandardButton.Discard else None
            )
        )
        box.open()
        self._confirm = box  # kept for tests and so it is not collected while open

    def toggle_star(self) -> None:
        ids = self.selected_ids()
        starred = {row.id: row.starred for row in self._all if row.id in set(ids)}
        value = not all(starred.values())
        for capture_id in ids:
            self.store.set_starred(capture_id, value)

    def edit_note(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        capture_id = ids[0]
        capture = self.store.get(capture_id)
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Note")
        dialog.setLabelText(f"Note for capture #{capture_id}:")
        dialog.setTextValue(capture.note if capture else "")
        dialog.textValueSelected.connect(lambda text: self.store.set_note(capture_id, text))
        dialog.open()

    def replay_to(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Replay to")
        dialog.setLabelText(
            f"Send {len(ids)} capture(s) again, byte for byte (old signatures included), to\n"
            "this base URL followed by each capture's own path and query:"
        )
        dialog.setTextValue(str(self.settings.value("replay_url", self.session.url)))
        dialog.textValueSelected.connect(lambda url: self._replay(ids, url.strip()))
        dialog.open()
        self._replay_dialog = dialog

    def _replay(self, ids: list[int], base_url: str) -> asyncio.Task[None]:
        self.settings.setValue("replay_url", base_url)
        return spawn(self._replay_all(ids, base_url), name="replay")

    async def _replay_all(self, ids: list[int], base_url: str) -> None:
        from hookscope.core.send.sender import OutgoingRequest, send
        from hookscope.core.send.signer import replay_url

        outcomes = []
        for capture in await in_thread(lambda: list(self.store.iter_captures(ids))):
            request = OutgoingRequest(
                capture.method, replay_url(base_url, capture), capture.headers, capture.body
            )
            result = await send(request)
            await in_thread(self.store.add_send, result, source=f"replay of capture {capture.id}")
            outcomes.append(str(result.status) if result.status else f"failed: {result.error}")
        self.composer.refresh_history()
        self.statusBar().showMessage(
            f"replayed {len(outcomes)} to {base_url}: {', '.join(outcomes[:10])}", 15000
        )

    def edit_and_resend(self) -> None:
        from hookscope.core.signature_settings import AUTO
        from hookscope.core.signing import detect_schemes

        ids = self.selected_ids()
        capture = self.store.get(ids[0]) if ids else None
        if capture is None:
            return
        setting = self.verdicts.settings.for_path(capture.path)
        scheme, secret = None, ""
        if setting is not None and setting.secrets:
            scheme = setting.scheme
            if scheme == AUTO:
                found = detect_schemes(capture.headers)
                scheme = found[0] if found else None
            secret = setting.secrets[0]  # the newest: what a provider signs with now
        self.composer.load_capture(capture, scheme, secret)
        self.pages.setCurrentWidget(self.composer)
        note = f", re-signed as {scheme} on send" if scheme else " (no secret known: unsigned)"
        self.statusBar().showMessage(f"capture #{capture.id} opened in the composer{note}", 8000)

    def compare_selected(self) -> asyncio.Task[None] | None:
        ids = self.selected_ids()
        if len(ids) != 2:
            self.statusBar().showMessage("select exactly two captures to compare", 4000)
            return None
        return spawn(self._compare(ids[0], ids[1]), name="compare")

    async def _compare(self, first_id: int, second_id: int) -> None:
        from hookscope.core.diff import diff_captures
        from hookscope.ui.widgets.compare_dialog import CompareDialog

        first, second = await in_thread(
            lambda: list(self.store.iter_captures([first_id, second_id]))
        )
        diff = await in_thread(diff_captures, first, second)
        dialog = CompareDialog(first, second, diff, self)
        dialog.open()
        self._compare_dialog = dialog

    def _page_shown(self, index: int) -> None:
        page = self.pages.widget(index)
        if page is self._simulator_page and self.simulator is None and not page.findChildren(
            QLabel
        ):
            try:
                self.simulator_panel()
            except Exception as exc:  # any failure: say it in the tab rather than leave it blank
                _show_load_error(page, "The retry simulator", exc)

    def simulator_panel(self) -> SimulatorPanel:
        """The retry simulator, built on first use."""
        if self.simulator is None:
            from hookscope.ui.simulator import SimulatorPanel  # pyqtgraph: loaded on first use

            self.simulator = SimulatorPanel(receiver_url=self.session.url)
            # A first look that shows retries (three failures), not one lone success.
            self.simulator.scenario_editor.fail_first.setValue(3)
            layout = self._simulator_page.layout()
            assert layout is not None
            layout.addWidget(self.simulator)
            self.simulator.show()  # a child added to a page already on screen starts hidden
        return self.simulator

    def send_sample(self) -> asyncio.Task[None]:
        return spawn(self._send_sample(), name="send sample")

    async def _send_sample(self) -> None:
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

    def export_captures(self) -> None:
        self.model.flush()
        shown = [self.model.summary(r).id for r in range(self.model.rowCount())]
        scope = ExportScope(self.selected_ids(), sorted(shown), [s.id for s in self._all])
        dialog = ExportDialog(self.store, scope, self.session.url, self)
        dialog.finished_export.connect(lambda text: self.statusBar().showMessage(text, 8000))
        dialog.open()
        self._export_dialog = dialog

    def choose_import(self) -> None:
        dialog = QFileDialog(
            self,
            "Import captures",
            str(Path.home()),
            "Captures (*.har *.ndjson *.jsonl *.json);;All files (*)",
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda paths: self.import_files([Path(p) for p in paths]))
        dialog.open()

    def import_files(self, paths: Sequence[Path]) -> asyncio.Task[None]:
        return spawn(self._import(list(paths)), name="import")

    async def _import(self, paths: list[Path]) -> None:
        from hookscope.core.formats.importer import import_file

        for path in paths:
            try:
                imported = await in_thread(import_file, self.store, path)
            except HookscopeError as exc:  # names the line or entry that is wrong
                self.statusBar().showMessage(f"nothing imported: {exc}", 15000)
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Import failed",
                    str(exc),
                    QMessageBox.StandardButton.Close,
                    self,
                )
                box.open()
                self._import_error = box
                continue
            self.statusBar().showMessage(f"imported {len(imported):,} captures from {path}", 8000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def edit_signature_settings(self) -> None:
        dialog = SignatureSettingsDialog(self.verdicts.settings, self)
        capture = self.detail.capture
        if capture is not None and self.verdicts.settings.for_path(capture.path) is None:
            from hookscope.core.signature_settings import AUTO, SignatureSetting

            dialog.add_row(SignatureSetting(capture.path, AUTO))  # prefilled for this path
        dialog.saved.connect(self._signature_settings_saved)
        dialog.open()
        self._settings_dialog = dialog

    def _reload_signature_settings(self) -> None:
        path = default_settings_path()
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp == self._settings_stamp:
            return
        self._settings_stamp = stamp
        self.verdicts.set_settings(_load_signature_settings(self))

    def _signature_settings_saved(self, settings: SignatureSettings) -> None:
        self.verdicts.set_settings(settings)
        if self.detail.capture is not None and self.detail.capture.id is not None:
            self.detail.show_capture_id(self.detail.capture.id)
        self.statusBar().showMessage(f"signature settings saved to {settings.path}", 5000)

    # -- state ----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = self.settings
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1500, 900)
            self.splitter.setSizes([860, 640])
        for key, target in (
            ("splitter", self.splitter.restoreState),
            ("columns", lambda state: restore_header(self.table, state)),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                target(value)
        self.newest_first.setChecked(_flag(settings.value("newest_first", True)))
        self.follow.setChecked(_flag(settings.value("follow", True)))
        self.redact_copies.setChecked(_flag(settings.value("redact_copies", False)))
        text = settings.value("filter", "")
        if isinstance(text, str) and text:
            self.filter_bar.edit.setText(text)

    def _save_state(self) -> None:
        settings = self.settings
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("splitter", self.splitter.saveState())
        settings.setValue("columns", self.table.horizontalHeader().saveState())
        settings.setValue("newest_first", self.newest_first.isChecked())
        settings.setValue("follow", self.follow.isChecked())
        settings.setValue("redact_copies", self.redact_copies.isChecked())
        settings.setValue("fault_rules_on", self.rules_panel.active_count() > 0)
        settings.sync()


def _show_load_error(page: QWidget, what: str, exc: Exception) -> None:
    traceback.print_exception(exc)  # the full story for a bug report, on stderr
    label = QLabel(
        f"{what} could not be loaded.\n\n{type(exc).__name__}: {exc}\n\n"
        "The rest of hookscope works; reinstalling it may bring back what is missing."
    )
    label.setObjectName("loadError")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout = page.layout()
    assert layout is not None
    layout.addWidget(label)
    label.show()  # a child added to a page already on screen starts hidden


def _load_signature_settings(window: QMainWindow) -> SignatureSettings:
    try:
        return SignatureSettings.load()
    except HookscopeError as exc:  # a broken file must not keep the app from starting
        window.statusBar().showMessage(f"signature settings ignored: {exc}", 15000)
        return SignatureSettings([], default_settings_path())


def _flag(value: object) -> bool:
    return value in (True, "true", "1", 1)
