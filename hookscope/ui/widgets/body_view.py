"""A body, shown the ways that fit it: JSON tree, pretty text, raw text, hex, form fields and
multipart parts.

A 20 MB body must not freeze the window. Decoding and parsing run on a worker thread with
C-speed parsers (a pure-Python parse would hold the GIL, and so the GUI, for seconds); text
views show the first 512 KB and hex the first 128 KB (the tree and "save body" have all of
it); and a text view is filled only when it is first shown, since laying out text is the
GUI thread's most expensive job here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QFontDatabase, QGuiApplication
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

from hookscope.core.bodyview import (
    BodyInspection,
    hex_dump,
    inspect_body,
    parse_form,
    parse_json_document,
    parse_multipart,
    pretty_json,
)
from hookscope.ui.models.json_tree import JsonTreeModel, json_path
from hookscope.ui.models.pairs import PairsModel
from hookscope.ui.widgets.json_highlighter import JsonHighlighter
from hookscope.ui.widgets.search_field import SearchField
from hookscope.ui.widgets.wrap_toggle import WrapToggle

__all__ = ["BodyView", "PreparedBody", "prepare_body"]

TEXT_LIMIT = 512 * 1024
HEX_LIMIT = 128 * 1024
SEARCH_AS_YOU_TYPE_LIMIT = 1024 * 1024  # bigger bodies search on Enter
SEARCH_HIT_LIMIT = 1000
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


@dataclass
class PreparedBody:
    """Everything the views need, computed on a worker thread."""

    inspection: BodyInspection
    document: Any = None
    pretty: str = ""
    raw: str = ""
    hex: str = ""
    form: list[tuple[str, str]] | None = None
    parts: list[tuple[str, str]] | None = None
    note: str = ""


def prepare_body(body: bytes, content_type: str, content_encoding: str) -> PreparedBody:
    inspection = inspect_body(body, content_type, content_encoding)
    shown = inspection.shown
    notes = [inspection.encoding_note] if inspection.encoding_note else []
    prepared = PreparedBody(inspection)
    clipped = shown[:TEXT_LIMIT]
    if len(shown) > TEXT_LIMIT:
        notes.append(
            f"text views show the first {TEXT_LIMIT // 1024} KB of "
            f"{len(shown) / (1024 * 1024):.1f} MB; save the body to see all of it"
        )
    prepared.raw = clipped.decode(inspection.charset, "replace") if clipped else ""
    prepared.hex = hex_dump(shown, limit=HEX_LIMIT)
    if inspection.kind == "json":
        try:
            prepared.document = parse_json_document(shown)
        except ValueError:  # it only looked like JSON
            inspection.kind, inspection.views = "text", ["raw", "hex"]
        if prepared.document is not None and len(shown) <= TEXT_LIMIT:
            prepared.pretty = pretty_json(shown)
        elif prepared.document is not None:  # the start of the document, indented
            indented = orjson.dumps(prepared.document, option=orjson.OPT_INDENT_2)
            prepared.pretty = indented[:TEXT_LIMIT].decode("utf-8", "replace")
    elif inspection.kind == "form":
        prepared.form = parse_form(shown)
    elif inspection.kind == "multipart":
        try:
            prepared.parts = [
                (
                    part.name,
                    f"{part.filename or ''}  [{part.content_type}, {len(part.value):,} bytes]  "
                    + part.value[:200].decode("utf-8", "replace"),
                )
                for part in parse_multipart(shown, content_type)
            ]
        except ValueError as exc:
            notes.append(f"not readable as multipart: {exc}")
            inspection.views = ["raw", "hex"]
    prepared.note = "  •  ".join(notes)
    return prepared


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
        self.tree_model: JsonTreeModel | None = None
        self._size = 0
        self._prepared: PreparedBody | None = None
        self._filled: set[str] = set()
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

    def show_body(self, prepared: PreparedBody, size: int) -> None:
        self.clear()
        self._size = size
        self._prepared = prepared
        self.note.setText(prepared.note or ("empty body" if size == 0 else ""))
        if prepared.form is not None:
            self.form_model.set_pairs(prepared.form)
        if prepared.parts is not None:
            self.parts_model.set_pairs(prepared.parts)
        if prepared.document is not None:
            self.tree_model = JsonTreeModel(prepared.document, self)
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
        """Lay out a text view's text the first time it is shown."""
        texts = {"pretty": self.pretty, "raw": self.raw, "hex": self.hex}
        prepared = self._prepared
        if view in texts and view not in self._filled and prepared is not None:
            texts[view].setPlainText(getattr(prepared, view))
            self._filled.add(view)

    def text_of(self, view: str) -> str:
        """The text a view shows (filled on demand, as if the user had opened it)."""
        self._fill(view)
        return {"pretty": self.pretty, "raw": self.raw, "hex": self.hex}[view].toPlainText()

    def _expand_all(self) -> None:
        if self._size <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
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
        self._hits = self.tree_model.search(text, limit=SEARCH_HIT_LIMIT)
        if self._hits:
            self._go(0)
        else:
            self.search_status.setText("no match")

    def _go(self, position: int) -> None:
        if self.tree_model is None:
            return
        self._hit = position
        index = self.tree_model.index_of(self._hits[position])
        parent = index.parent()
        while parent.isValid():  # reveal it
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        more = "+" if len(self._hits) >= SEARCH_HIT_LIMIT else ""
        self.search_status.setText(f"{position + 1} of {len(self._hits)}{more}")


def _is_dark(widget: QWidget) -> bool:
    return widget.palette().window().color().lightness() < 128
