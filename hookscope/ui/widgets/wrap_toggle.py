"""A "Wrap lines" check box whose state is remembered under a key of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHeaderView, QTableView, QWidget

from hookscope.ui.prefs import flag, set_flag

__all__ = ["WrapToggle", "wrap_table"]


class WrapToggle(QCheckBox):
    def __init__(self, key: str, default: bool, parent: QWidget | None = None) -> None:
        super().__init__("Wrap lines", parent)
        self.setObjectName(f"wrap_{key.rsplit('/', 1)[-1]}")
        self.setChecked(flag(key, default))
        self.toggled.connect(lambda on: set_flag(key, on))


def wrap_table(table: QTableView, on: bool) -> None:
    """Wrapped rows grow to fit their text; unwrapped ones keep one line, cut with "…"."""
    table.setWordWrap(on)
    vertical = table.verticalHeader()
    if on:
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    else:
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        vertical.setDefaultSectionSize(22)
        model = table.model()
        for row in range(model.rowCount() if model is not None else 0):
            table.setRowHeight(row, 22)
