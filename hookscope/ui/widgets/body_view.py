"""A body, shown the ways that fit it: JSON tree, pretty text, raw text, hex, form fields and
multipart parts.

A 20 MB body must not freeze the window. Decoding and parsing run off the GUI thread with
C-speed parsers, and from 1 MB up in a worker process (core/bodywork.py), since even a C parse
holds the GIL the receiver and the event loop need; text views show the first 512 KB and hex
the first 128 KB (the tree and "save body" have all of it); and a text view is filled only
when it is first shown, a chunk per turn of the event loop, since laying out text is the GUI
thread's most expensive job here."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.bodywork import LARGE_BODY, PreparedBody, SupersededError, body_worker
from hookscope.core.bodywork import prepare_body as prepare_local
from hookscope.ui.asyncqt import spawn
from hookscope.ui.body_worker import RemoteTreeModel
from hookscope.ui.models.json_tree import JsonTreeModel, json_path
from hookscope.ui.models.pairs import PairsModel
from hookscope.ui.widgets.json_highlighter import JsonHighlighter
from hookscope.ui.widgets.search_field import SearchField
from hookscope.ui.widgets.wrap_toggle import WrapToggle

__all__ = ["BodyView", "PreparedBody", "SupersededError", "prepare_body"]

SEARCH_AS_YOU_TYPE_LIMIT = 1024 * 1024  # bigger bodies search on Enter
SEARCH_HIT_LIMIT = 1000
FILL_CHUNK = 32 * 1024  # characters of a text view laid out per turn of the event loop
EXPAND_ALL_LIMIT = 256 * 1024  # bigger documents expand two levels, not every node
# Raw and pretty text wrap only when asked: a minified body is one long line, and raw is for
# seeing the lines as sent. Hex never wraps: its columns are the point.
WRAP_KEY = "view/wrap_body"
_WRAPPABLE = ("pretty", "raw")
_LABELS = {
    "tree": "JSON tree",
    "pretty": "Pretty",
    "raw": "Raw",
    "hex": "Hex",
    "form": "Form",
    "multipart": "Multipart",
}


def prepare_body(body: bytes, content_type: str, content_encoding: str) -> PreparedBody:
    """What the views need; a large body is prepared in the worker process (off the GIL the
    receiver and the event loop need), and may raise SupersededError if a newer one comes."""
    if len(body) >= LARGE_BODY:
        return body_worker.prepare(body, content_type, content_encoding)
    return prepare_local(body, content_type, content_encoding)


class BodyView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.selector = QComboBox()
        self.selector.setObjectName("bodyViewSelector")
        self.selector.currentIndexChanged.connect(self._show_selected)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b25d00;")
        self.wrap = WrapToggle(WRAP_KEY, default=False)
        self.wrap.setToolTip("Wrap long lines in the pretty and raw views")
        self.wrap.toggled.connect(self._apply_wrap)
        bar.addWidget(QLabel("View:"))
        bar.addWidget(self.selector)
        bar.addWidget(self.wrap)
        bar.addWidget(self.note, 1)
        layout.addLayout(bar)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.tree_page = QWidget()
        tree_layout = QVBoxLayout(self.tree_page)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_bar = QHBoxLayout()
        self.expand_all = QPushButton("Expand all")
        self.collapse_all = QPushButton("Collapse all")
        self.copy_path = QPushButton("Copy path")
        self.copy_value = QPushButton("Copy value")
        self.search = SearchField()
        self.search.setPlaceholderText("Search keys and values (Enter: next, Shift+Enter: back)")
        self.search_previous = QPushButton("▲")
        self.search_previous.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.search_next = QPushButton("▼")
        self.search_next.setToolTip("Next match (Enter, F3)")
        for button in (self.search_previous, self.search_next):
            button.setFixedWidth(28)
        self.search_status = QLabel("")
        self.search_status.setObjectName("jsonSearchStatus")
        for widget in (self.expand_all, self.collapse_all, self.copy_path, self.copy_value):
            tree_bar.addWidget(widget)
        tree_bar.addWidget(self.search, 1)
        tree_bar.addWidget(self.search_previous)
        tree_bar.addWidget(self.search_next)
        tree_bar.addWidget(self.search_status)
        tree_layout.addLayout(tree_bar)
        self.tree = QTreeView()
        self.tree.setObjectName("jsonTree")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree_layout.addWidget(self.tree, 1)
        self.pretty = self._text(mono)
        self.highlighter = JsonHighlighter(self.pretty.document(), dark=_is_dark(self))
        self.raw = self._text(mono)
        self.hex = self._text(mono)
        self.form_model = PairsModel(("Field", "Value"), self)
        self.form = self._table(self.form_model)
        self.parts_model = PairsModel(("Part", "File, type, size, start"), self)
        self.parts = self._table(self.parts_model)
        self.pages = {
            "tree": self.tree_page,
            "pretty": self.pretty,
            "raw": self.raw,
            "hex": self.hex,
            "form": self.form,
            "multipart": self.parts,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self._apply_wrap(self.wrap.isChecked())
        self.tree_model: JsonTreeModel | RemoteTreeModel | None = None
        self._size = 0
        self._prepared: PreparedBody | None = None
        self._filled: set[str] = set()
        self._pending: dict[str, tuple[str, str]] = {}  # view -> (separator, text still to add)
        self._hits: list[Any] = []  # the matches of `_searched`, in document order
        self._hit = -1
        self._searched = ""
        self.expand_all.clicked.connect(self._expand_all)
        self.collapse_all.clicked.connect(self.tree.collapseAll)
        self.copy_path.clicked.connect(self._copy_path)
        self.copy_value.clicked.connect(self._copy_value)
        self.search.textEdited.connect(self._typed)
        self.search.next_requested.connect(lambda: self._step(1))
        self.search.previous_requested.connect(lambda: self._step(-1))
        self.search_next.clicked.connect(lambda: self._step(1))
        self.search_previous.clicked.connect(lambda: self._step(-1))

    @staticmethod
    def _text(font: Any) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setReadOnly(True)
        edit.setUndoRedoEnabled(False)  # text added in chunks is not an edit to undo
        edit.setFont(font)
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return edit

    @staticmethod
    def _table(model: PairsModel) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().setDefaultSectionSize(22)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 200)
        return table

    def _apply_wrap(self, on: bool) -> None:
        mode = QPlainTextEdit.LineWrapMode.WidgetWidth if on else QPlainTextEdit.LineWrapMode.NoWrap
        for edit in (self.pretty, self.raw):
            edit.setLineWrapMode(mode)

    def clear(self, message: str = "") -> None:
        self.selector.blockSignals(True)
        self.selector.clear()
        self.selector.blockSignals(False)
        self.note.setText(message)
        for edit in (self.pretty, self.raw, self.hex):
            edit.setPlainText("")
        self.form_model.set_pairs([])
        self.parts_model.set_pairs([])
        self.tree.setModel(None)
        self.tree_model = None
        self.search.clear()  # a search belongs to the body it was typed for
        self._forget_search()
        self._prepared = None
        self._filled = set()
        self._pending = {}

    def show_body(self, prepared: PreparedBody, size: int) -> None:
        self.clear()
        body_worker.warm()  # ready before the first large body is selected
        self._size = size
        self._prepared = prepared
        self.note.setText(prepared.note or ("empty body" if size == 0 else ""))
        if prepared.form is not None:
            self.form_model.set_pairs(prepared.form)
        if prepared.parts is not None:
            self.parts_model.set_pairs(prepared.parts)
        if prepared.remote is not None:  # a large body: its document stays in the worker
            self.tree_model = RemoteTreeModel(prepared.remote, self)
        elif prepared.document is not None:
            self.tree_model = JsonTreeModel(prepared.document, self)
        if self.tree_model is not None:
            self.tree.setModel(self.tree_model)
            header = self.tree.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(0, 240)
            self.tree.setColumnWidth(2, 100)
            self.tree.expandToDepth(0)
        self.selector.blockSignals(True)
        for view in prepared.inspection.views:
            self.selector.addItem(_LABELS[view], view)
        self.selector.blockSignals(False)
        self.selector.setCurrentIndex(0)
        self._show_selected()

    def select_view(self, view: str) -> bool:
        index = self.selector.findData(view)
        if index >= 0:
            self.selector.setCurrentIndex(index)
        return index >= 0

    def current_view(self) -> str:
        return str(self.selector.currentData() or "")

    def _show_selected(self) -> None:
        view = self.selector.currentData()
        if view in self.pages:
            self._fill(str(view))
            self.stack.setCurrentWidget(self.pages[view])
        self.wrap.setVisible(view in _WRAPPABLE)

    def _fill(self, view: str) -> None:
        """Lay out a text view's text the first time it is shown: the first chunk now, the
        rest a chunk per turn of the event loop (512 KB at once, highlighted, took ~0.4 s)."""
        prepared = self._prepared
        if view in self._texts() and view not in self._filled and prepared is not None:
            if view in ("pretty", "hex") and prepared.later is not None:
                if not prepared.later.done():  # still being made in the worker
                    self._texts()[view].setPlainText("preparing…")
                    spawn(self._fill_when_ready(view, prepared), name=f"fill {view}")
                    return
                _take_texts(prepared)
            self._filled.add(view)
            head, sep, rest = _split(getattr(prepared, view))
            self._texts()[view].setPlainText(head)
            if rest:
                self._pending[view] = (sep, rest)
                QTimer.singleShot(0, lambda: self._fill_more(view, prepared))

    async def _fill_when_ready(self, view: str, prepared: PreparedBody) -> None:
        if prepared.later is not None:
            with contextlib.suppress(Exception):  # whatever happened, show what there is
                await asyncio.wrap_future(prepared.later)
        if self._prepared is prepared:
            self._fill(view)

    def _fill_more(self, view: str, prepared: PreparedBody, *, all_of_it: bool = False) -> None:
        if self._prepared is not prepared or view not in self._pending:
            return  # another body is on show now, or the text is complete
        sep, rest = self._pending.pop(view)
        chunk, next_sep, rest = (rest, "", "") if all_of_it else _split(rest)
        cursor = QTextCursor(self._texts()[view].document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(sep + chunk)
        if rest:
            self._pending[view] = (next_sep, rest)
            QTimer.singleShot(0, lambda: self._fill_more(view, prepared))

    def _texts(self) -> dict[str, QPlainTextEdit]:
        return {"pretty": self.pretty, "raw": self.raw, "hex": self.hex}

    def text_of(self, view: str) -> str:
        """The text a view shows (filled on demand, as if the user had opened it)."""
        prepared = self._prepared
        if prepared is not None and prepared.later is not None:
            with contextlib.suppress(Exception):  # as if the user had waited for it
                prepared.later.result(timeout=60)
            _take_texts(prepared)
            self._filled.discard(view)
        self._fill(view)
        if prepared is not None:
            self._fill_more(view, prepared, all_of_it=True)
        return self._texts()[view].toPlainText()

    def _expand_all(self) -> None:
        if self._size <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        elif isinstance(self.tree_model, RemoteTreeModel):  # deeper levels: one trip each
            self.tree.expandToDepth(0)
            self.note.setText("large document: expanded one level; expand nodes as needed")
        else:  # every node of a huge document would take seconds to build and lay out
            self.tree.expandToDepth(1)
            self.note.setText("large document: expanded two levels; expand nodes as needed")

    def _current(self) -> QModelIndex | None:
        index = self.tree.currentIndex()
        return index if index.isValid() and self.tree_model is not None else None

    def _copy_path(self) -> None:
        index = self._current()
        if index is not None and self.tree_model is not None:
            QGuiApplication.clipboard().setText(json_path(self.tree_model.node(index)))

    def _copy_value(self) -> None:
        index = self._current()
        if index is not None and self.tree_model is not None:
            QGuiApplication.clipboard().setText(self.tree_model.value_text(index))

    def _forget_search(self) -> None:
        self._hits, self._hit, self._searched = [], -1, ""
        self.search_status.setText("")

    def _typed(self, _text: str) -> None:
        """Small bodies are searched at each keystroke; big ones wait for Enter."""
        if self._size < SEARCH_AS_YOU_TYPE_LIMIT:
            self._search()
        else:
            self._forget_search()

    def _step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) match, searching first if the text changed."""
        if self.search.text().strip() != self._searched:
            self._search()
            if direction > 0:
                return  # the search itself went to the first match
        if self._hits:
            self._go((self._hit + direction) % len(self._hits))

    def _search(self) -> None:
        text = self.search.text().strip()
        self._forget_search()
        if not text or self.tree_model is None:
            return
        self._searched = text
        if isinstance(self.tree_model, RemoteTreeModel):  # walks in the worker: seconds
            self.search_status.setText("searching…")
            spawn(self._search_remote(self.tree_model, text), name="search a large body")
            return
        self._found(self.tree_model.search(text, limit=SEARCH_HIT_LIMIT))

    async def _search_remote(self, model: RemoteTreeModel, text: str) -> None:
        try:
            paths = await model.search_paths(text, limit=SEARCH_HIT_LIMIT)
        except Exception as exc:  # the worker was replaced, or is busy: say so, stay usable
            if self.tree_model is model and self._searched == text:
                self.search_status.setText(f"search stopped: {str(exc) or type(exc).__name__}")
            return
        if self.tree_model is model and self._searched == text:  # still the body and text
            self._found(paths)

    def _found(self, hits: list[Any]) -> None:
        self._hits = hits
        if self._hits:
            self._go(0)
        else:
            self.search_status.setText("no match")

    def _go(self, position: int) -> None:
        if self.tree_model is None:
            return
        self._hit = position
        hit = self._hits[position]
        model = self.tree_model
        if isinstance(model, RemoteTreeModel) and isinstance(hit, list):
            # A path in the worker's document: its rows are fetched when it is gone to.
            spawn(self._go_remote(model, position, hit), name="reveal a match")
            return
        self._show_hit(position, hit)

    async def _go_remote(self, model: RemoteTreeModel, position: int, path: list[Any]) -> None:
        try:
            node = await model.reveal(path)
        except Exception as exc:  # the worker was replaced, or is busy
            node, failure = None, str(exc) or type(exc).__name__
        else:
            failure = "not found"
        if self.tree_model is not model or self._hit != position:
            return  # moved on meanwhile
        if node is None:
            self.search_status.setText(f"{position + 1} of {len(self._hits)}: {failure}")
            return
        self._hits[position] = node
        self._show_hit(position, node)

    def _show_hit(self, position: int, node: Any) -> None:
        assert self.tree_model is not None
        index = self.tree_model.index_of(node)
        parent = index.parent()
        while parent.isValid():  # reveal it
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        more = "+" if len(self._hits) >= SEARCH_HIT_LIMIT else ""
        self.search_status.setText(f"{position + 1} of {len(self._hits)}{more}")


def _take_texts(prepared: PreparedBody) -> None:
    """Move texts the worker finished into `prepared` (nothing, if it failed)."""
    later, prepared.later = prepared.later, None
    if later is not None and later.done() and not later.cancelled() and not later.exception():
        prepared.pretty, prepared.hex = later.result()


def _split(text: str, size: int = FILL_CHUNK) -> tuple[str, str, str]:
    """(head, separator, rest): cut at a line break near `size`, which the separator
    restores, so the chunks add up to the text exactly."""
    if len(text) <= size:
        return text, "", ""
    cut = text.rfind("\n", size // 2, size)
    if cut < 0:  # one long line: cut anywhere
        return text[:size], "", text[size:]
    return text[:cut], "\n", text[cut + 1 :]


def _is_dark(widget: QWidget) -> bool:
    return widget.palette().window().color().lightness() < 128
