"""The selected capture, in tabs: Summary, Headers, Query, Body, Response."""

from __future__ import annotations

import asyncio
import html
from typing import ClassVar
from urllib.parse import parse_qsl

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.delivery_id import DeliveryId, delivery_id
from hookscope.core.guards import client_address, split_prefix
from hookscope.core.model import Capture, first_header, format_timestamp
from hookscope.core.sent_answer import sent_answer
from hookscope.core.store import Store
from hookscope.core.verdicts import check_capture
from hookscope.ui.asyncqt import in_thread, spawn
from hookscope.ui.models.capture_table import human_size
from hookscope.ui.models.pairs import PairsModel
from hookscope.ui.verdict_cache import VerdictCache
from hookscope.ui.widgets.body_view import BodyView, PreparedBody, prepare_body
from hookscope.ui.widgets.signature_view import SignatureView
from hookscope.ui.widgets.wrap_toggle import WrapToggle, wrap_table

__all__ = ["DetailPane"]

# Header values wrap unless turned off: signatures, user agents and trace ids are the values
# worth reading whole, and a header list is short enough that taller rows cost nothing.
HEADERS_WRAP_KEY = "view/wrap_headers"


class DetailPane(QTabWidget):
    query_requested: ClassVar[Signal] = Signal(str)  # "show the captures matching this"

    def __init__(self, store: Store, verdicts: VerdictCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.verdicts = verdicts
        self.capture: Capture | None = None
        self._loading: asyncio.Task[None] | None = None
        self._delivery_query = ""
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.summary.anchorClicked.connect(
            lambda _url: self.query_requested.emit(self._delivery_query)
        )
        self.headers_model = PairsModel(parent=self)
        self.query_model = PairsModel(parent=self)
        self.response_headers_model = PairsModel(parent=self)
        self.body = BodyView()
        self.response_body = BodyView()
        self.addTab(self.summary, "Summary")
        self.headers_wrap = WrapToggle(HEADERS_WRAP_KEY, default=True)
        self.headers_page = self._pairs_page(self.headers_model, "Copy headers", self.headers_wrap)
        self.addTab(self.headers_page, "Headers")
        self.addTab(self._pairs_page(self.query_model, "Copy query"), "Query")
        self.addTab(self.body, "Body")
        response = QWidget()
        response_layout = QVBoxLayout(response)
        response_layout.setContentsMargins(0, 0, 0, 0)
        self.response_status = QLabel("")
        self.response_status.setObjectName("captureResponseStatus")
        self.response_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.response_status.font()
        bold.setBold(True)
        self.response_status.setFont(bold)
        response_layout.addWidget(self.response_status)
        response_table = self._table(self.response_headers_model)
        self.headers_wrap.toggled.connect(lambda on: wrap_table(response_table, on))
        wrap_table(response_table, self.headers_wrap.isChecked())
        response_layout.addWidget(response_table, 1)
        note = QLabel("Grey headers are the ones the server adds, reconstructed for display.")
        note.setStyleSheet("color: gray;")
        response_layout.addWidget(note)
        response_layout.addWidget(self.response_body, 2)
        self.addTab(response, "Response")
        self.signature = SignatureView()
        self.addTab(self.signature, "Signature")
        self.show_nothing()

    def _table(self, model: PairsModel) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().setDefaultSectionSize(22)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 220)
        table.setWordWrap(False)
        return table

    def _pairs_page(
        self, model: PairsModel, copy_label: str, wrap: WrapToggle | None = None
    ) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        table = self._table(model)
        bar = QHBoxLayout()
        copy = QPushButton(copy_label)

        def copy_rows() -> None:
            rows = sorted({i.row() for i in table.selectionModel().selectedIndexes()})
            QGuiApplication.clipboard().setText(model.as_text(rows or None))

        copy.clicked.connect(copy_rows)
        if wrap is not None:
            bar.addWidget(wrap)
            wrap.toggled.connect(lambda on: wrap_table(table, on))
            wrap_table(table, wrap.isChecked())
        bar.addStretch(1)
        bar.addWidget(copy)
        layout.addWidget(table, 1)
        layout.addLayout(bar)
        return page

    def show_nothing(self) -> None:
        if self._loading is not None:  # a capture still loading must not reappear
            self._loading.cancel()
        self.capture = None
        self.summary.setHtml("<p style='color:gray'>Select a capture to see it here.</p>")
        for model in (self.headers_model, self.query_model, self.response_headers_model):
            model.set_pairs([])
        self.response_status.setText("")
        self.body.clear()
        self.response_body.clear()
        self.signature.text.setHtml("")

    def show_capture_id(self, capture_id: int) -> asyncio.Task[None]:
        """Load a capture off the GUI thread and show it; a newer selection cancels this one."""
        if self._loading is not None:
            self._loading.cancel()
        self._loading = spawn(self._load(capture_id), name=f"show capture {capture_id}")
        return self._loading

    async def _load(self, capture_id: int) -> None:
        capture = await in_thread(self.store.get, capture_id)
        if capture is None:
            self.show_nothing()
            return
        self.capture = capture
        self._show_meta(capture)
        self.body.clear("loading…")
        self.signature.show_verdict(None)
        prepared, answer = await in_thread(_prepare_both, capture)
        ident = await in_thread(delivery_id, capture.headers, capture.body)
        if ident is not None:
            self._show_meta(capture, ident)
        self.body.show_body(prepared, capture.body_size)
        self.response_body.show_body(answer, len(capture.response_body))
        verdict = await in_thread(check_capture, capture, self.verdicts.settings, diagnose=True)
        self.signature.show_verdict(verdict)

    def _show_meta(self, capture: Capture, ident: DeliveryId | None = None) -> None:
        self.headers_model.set_pairs(capture.headers)
        self.query_model.set_pairs(parse_qsl(capture.query, keep_blank_values=True))
        answer = sent_answer(capture)
        self.response_headers_model.set_pairs(answer.headers, answer.notes)
        self.response_status.setText(answer.status_line)
        colour = "#2e9d48" if 200 <= capture.response_status < 300 else "#d0443a"
        self.response_status.setStyleSheet(f"color: {colour};" if answer.answered else "")
        rows = [
            ("Received", format_timestamp(capture.received_us)),
            ("Request", f"{capture.method} {capture.target} HTTP/{capture.http_version}"),
            ("Path", capture.path),
            ("From", _sender(capture)),
            (
                "Body",
                f"{human_size(capture.body_size)} ({capture.body_size:,} bytes), "
                f"{capture.content_type or 'no content type'}",
            ),
            ("Answered", answer.status_line),
        ]
        prefix, under = split_prefix(capture.path)
        if prefix:  # came in through a public URL: the path the sender meant, beside it
            rows.insert(3, ("Public path", f"{under} (under the secret prefix {prefix[:7]}…)"))
        if capture.rejected:
            rows.insert(0, ("Rejected", capture.rejected))
        if capture.note:
            rows.append(("Note", capture.note))
        table = "".join(
            f"<tr><td style='color:gray;padding-right:12px'>{html.escape(k)}</td>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        if ident is not None:  # retries and redeliveries carry the same id: find them all
            self._delivery_query = ident.query
            table += (
                f"<tr><td style='color:gray;padding-right:12px'>{html.escape(ident.label)}</td>"
                f"<td>{html.escape(ident.value)} &nbsp; <a href='deliveries'>every delivery "
                "of this event</a></td></tr>"
            )
        star = "★ " if capture.starred else ""
        self.summary.setHtml(
            f"<h3>{star}#{capture.id} {html.escape(capture.method)} "
            f"{html.escape(capture.path)}</h3><table>{table}</table>"
        )


def _sender(capture: Capture) -> str:
    """The peer, and beside it the client a tunnel reported (its forwarded headers)."""
    client = client_address(capture.headers, capture.remote)
    if capture.remote.startswith((f"{client}:", f"[{client}]:")) or not capture.remote:
        return capture.remote
    return f"{client} (via tunnel, peer {capture.remote})"


def _prepare_both(capture: Capture) -> tuple[PreparedBody, PreparedBody]:
    request = prepare_body(
        capture.body, capture.header("Content-Type") or "", capture.header("Content-Encoding") or ""
    )
    content_type = first_header(capture.response_headers, "Content-Type") or ""
    return request, prepare_body(capture.response_body, content_type, "")
