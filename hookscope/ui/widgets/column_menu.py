"""The capture table's header: right-click a heading to show or hide columns (remembered by
name, so a new column in a later version does not shift them); click Time or ID to sort by it
(imported captures keep their own time, so the two orders differ)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from hookscope.ui.models.capture_table import COLUMNS, SORT_KEYS, CaptureTableModel
from hookscope.ui.prefs import ui_settings

__all__ = ["HIDDEN_KEY", "SORT_KEY", "install_column_menu", "restore_header"]

HIDDEN_KEY = "view/hidden_columns"
SORT_KEY = "view/sort_by"
HIDDEN_BY_DEFAULT = ("ID",)  # the time and the order say enough for most; ids are for the CLI
_NAMES = {"": "Star", "Sig": "Signature"}  # headings too short to name their column in a menu


def _hidden() -> set[str]:
    value = ui_settings().value(HIDDEN_KEY)
    if value is None:
        return set(HIDDEN_BY_DEFAULT)
    if isinstance(value, str):  # QSettings gives a one-item list back as a string
        return {value} if value else set()
    return {str(name) for name in value}


def restore_header(table: QTableView, state: QByteArray) -> None:
    """Widths and order from a saved header state; which columns show, by name, from the
    preferences (a state saved before a column existed would show it, hidden or not)."""
    table.horizontalHeader().restoreState(state)
    hidden = _hidden()
    for column, name in enumerate(COLUMNS):
        table.setColumnHidden(column, name in hidden)
    model = table.model()
    if isinstance(model, CaptureTableModel):
        _sort_as_saved(table, model)


def install_column_menu(table: QTableView) -> QMenu:
    header = table.horizontalHeader()
    menu = QMenu(table)
    hidden = _hidden()

    def save() -> None:
        gone = [name for i, name in enumerate(COLUMNS) if table.isColumnHidden(i)]
        ui_settings().setValue(HIDDEN_KEY, gone or "")

    for column, name in enumerate(COLUMNS):
        action = QAction(_NAMES.get(name, name), menu, checkable=True)
        table.setColumnHidden(column, name in hidden)
        action.setChecked(name not in hidden)

        def toggled(on: bool, column: int = column) -> None:
            table.setColumnHidden(column, not on)
            save()

        action.toggled.connect(toggled)
        menu.addAction(action)
    id_column = COLUMNS.index("ID")
    header.moveSection(header.visualIndex(id_column), 1)  # beside the star, before Sig
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(point: QPoint) -> None:
        for column, action in enumerate(menu.actions()):  # a restored header state wins
            action.blockSignals(True)
            action.setChecked(not table.isColumnHidden(column))
            action.blockSignals(False)
        menu.popup(header.mapToGlobal(point))

    header.customContextMenuRequested.connect(show_menu)
    table.column_menu = menu  # type: ignore[attr-defined]
    model = table.model()
    if isinstance(model, CaptureTableModel):
        _install_sorting(table, model)
    return menu


def _install_sorting(table: QTableView, model: CaptureTableModel) -> None:
    header = table.horizontalHeader()
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)

    def show_indicator() -> None:
        order = Qt.SortOrder.DescendingOrder if model.newest_first else Qt.SortOrder.AscendingOrder
        header.blockSignals(True)
        header.setSortIndicator(model.sort_column(), order)
        header.blockSignals(False)

    def sort(column: int, order: Qt.SortOrder) -> None:
        if column in SORT_KEYS:
            model.sort(column, order)
            ui_settings().setValue(SORT_KEY, SORT_KEYS[column])
        show_indicator()  # a heading that is no sort key puts the indicator back

    saved = str(ui_settings().value(SORT_KEY, "id"))
    for column, by in SORT_KEYS.items():
        if by == saved and by != model.sort_by:
            current = (
                Qt.SortOrder.DescendingOrder if model.newest_first else Qt.SortOrder.AscendingOrder
            )
            model.sort(column, current)
    show_indicator()
    header.sortIndicatorChanged.connect(sort)
    model.layoutChanged.connect(show_indicator)  # e.g. View → Newest first
    model.modelReset.connect(show_indicator)


def _sort_as_saved(table: QTableView, model: CaptureTableModel) -> None:
    saved = str(ui_settings().value(SORT_KEY, "id"))
    order = Qt.SortOrder.DescendingOrder if model.newest_first else Qt.SortOrder.AscendingOrder
    for column, by in SORT_KEYS.items():
        if by == saved and by != model.sort_by:
            model.sort(column, order)
    header = table.horizontalHeader()
    header.blockSignals(True)
    header.setSortIndicator(model.sort_column(), order)
    header.blockSignals(False)
