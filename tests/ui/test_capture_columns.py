"""The capture table's ID and Note columns, the header menu that shows and hides columns, and
sorting by time so that imported captures sit where their time puts them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from hookscope.core.model import CaptureSummary
from hookscope.core.store import Store
from hookscope.ui.models.capture_table import COLUMNS, CaptureTableModel
from hookscope.ui.widgets.column_menu import install_column_menu

ID = COLUMNS.index("ID")
NOTE = COLUMNS.index("Note")
TIME = COLUMNS.index("Time")
BASE_US = 1_765_000_000_000_000


def row(capture_id: int, second: int, note: str = "") -> CaptureSummary:
    return CaptureSummary(
        id=capture_id, received_us=BASE_US + second * 1_000_000, method="POST",
        target="/h", path="/h", response_status=200, body_size=2, content_type="",
        event_type="", remote="127.0.0.1:1", rejected=None, starred=False, note=note,
    )  # fmt: skip


def ids(model: CaptureTableModel) -> list[int]:
    return [model.summary(r).id for r in range(model.rowCount())]


def test_id_and_note_columns_show_the_id_and_the_note(qapp: QApplication) -> None:
    model = CaptureTableModel(newest_first=False)
    model.set_rows([row(7, 0, "retry of the\nfirst one"), row(8, 1)])
    assert model.data(model.index(0, ID)) == "7"
    assert model.data(model.index(0, NOTE)) == "retry of the first one"  # one line in a row
    assert model.data(model.index(1, NOTE)) == ""
    assert model.data(model.index(0, ID), Qt.ItemDataRole.TextAlignmentRole) is not None
    model.replace(replace(model.summary(1), note="seen"))
    assert model.data(model.index(1, NOTE)) == "seen"


def test_the_store_lists_notes_with_the_rows(tmp_path: Path) -> None:
    from hookscope.core.model import Capture

    store = Store.open(tmp_path / "c.db")
    try:
        [stored] = store.add_many([Capture("POST", "/n", (), b"{}", received_us=BASE_US)])
        assert stored.id is not None
        store.set_note(stored.id, "looked at")
        assert [s.note for s in store.all_summaries()] == ["looked at"]
    finally:
        store.close()


def table_with_menu(qtbot: Any) -> QTableView:
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(CaptureTableModel(table, newest_first=True))
    install_column_menu(table)
    return table


def test_id_is_hidden_until_the_header_menu_shows_it_and_that_is_kept(qtbot: Any) -> None:
    table = table_with_menu(qtbot)
    assert table.isColumnHidden(ID)
    assert not table.isColumnHidden(NOTE)
    header = table.horizontalHeader()
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    menu = table.column_menu  # type: ignore[attr-defined]
    actions = {a.text(): a for a in menu.actions()}
    assert actions["ID"].isChecked() is False
    assert actions["Note"].isChecked() is True
    actions["ID"].trigger()
    assert not table.isColumnHidden(ID)
    actions["Note"].trigger()
    assert table.isColumnHidden(NOTE)
    again = table_with_menu(qtbot)  # the next start
    assert not again.isColumnHidden(ID)
    assert again.isColumnHidden(NOTE)


def test_sorting_by_time_puts_imported_captures_where_their_time_is(qapp: QApplication) -> None:
    model = CaptureTableModel(newest_first=True)
    model.set_rows([row(1, 10), row(2, 20), row(3, 5)])  # 3 was imported: received earlier
    assert ids(model) == [3, 2, 1]  # by id, newest first
    model.sort(TIME, Qt.SortOrder.DescendingOrder)
    assert ids(model) == [2, 1, 3]
    assert model.row_of(3) == 2
    model.queue_rows([row(4, 15), row(5, 1), row(6, 30)])  # imported old ones and a new one
    model.flush()
    assert ids(model) == [6, 2, 4, 1, 3, 5]
    assert [model.row_of(i) for i in (6, 2, 4, 1, 3, 5)] == [0, 1, 2, 3, 4, 5]
    model.sort(TIME, Qt.SortOrder.AscendingOrder)
    assert ids(model) == [5, 3, 1, 4, 2, 6]
    model.remove_ids([4, 5])
    assert ids(model) == [3, 1, 2, 6]
    model.sort(ID, Qt.SortOrder.DescendingOrder)
    assert ids(model) == [6, 3, 2, 1]
    model.sort(COLUMNS.index("Path"), Qt.SortOrder.AscendingOrder)  # not a sort key: no change
    assert ids(model) == [6, 3, 2, 1]


def test_sorting_keeps_the_selected_capture_selected(qtbot: Any) -> None:
    table = table_with_menu(qtbot)
    model = table.model()
    assert isinstance(model, CaptureTableModel)
    model.set_rows([row(1, 10), row(2, 20), row(3, 5)])
    table.selectRow(model.row_of(3) or 0)
    model.sort(TIME, Qt.SortOrder.DescendingOrder)
    selected = [model.summary(i.row()).id for i in table.selectionModel().selectedRows()]
    assert selected == [3]
    assert model.summary(table.currentIndex().row()).id == 3


def test_clicking_the_time_heading_sorts_by_time_and_that_is_kept(qtbot: Any) -> None:
    table = table_with_menu(qtbot)
    model = table.model()
    assert isinstance(model, CaptureTableModel)
    model.set_rows([row(1, 10), row(2, 20), row(3, 5)])
    header = table.horizontalHeader()
    assert header.isSortIndicatorShown()
    header.setSortIndicator(TIME, Qt.SortOrder.DescendingOrder)
    assert model.sort_by == "time"
    assert ids(model) == [2, 1, 3]
    header.setSortIndicator(COLUMNS.index("Path"), Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == TIME  # Path is not a sort key: the indicator stays
    assert ids(model) == [2, 1, 3]
    again = table_with_menu(qtbot)
    again_model = again.model()
    assert isinstance(again_model, CaptureTableModel)
    assert again_model.sort_by == "time"
    assert again.horizontalHeader().sortIndicatorSection() == TIME


def test_a_header_saved_before_the_id_column_existed_keeps_it_hidden(qtbot: Any) -> None:
    from PySide6.QtGui import QStandardItemModel

    from hookscope.ui.widgets.column_menu import restore_header

    older = QTableView()
    qtbot.addWidget(older)
    older.setModel(QStandardItemModel(0, 11, older))
    older.setColumnWidth(4, 333)
    table = table_with_menu(qtbot)
    restore_header(table, older.horizontalHeader().saveState())
    assert table.columnWidth(4) == 333
    assert table.isColumnHidden(ID)
