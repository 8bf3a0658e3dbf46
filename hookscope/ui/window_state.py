"""The window's look and choices, kept across runs in QSettings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from hookscope.ui.widgets.column_menu import restore_header

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["restore_state", "save_state"]


def restore_state(window: MainWindow) -> None:
    settings = window.settings
    geometry = settings.value("geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        window.resize(1500, 900)
        window.splitter.setSizes([860, 640])
    for key, target in (
        ("splitter", window.splitter.restoreState),
        ("columns", lambda state: restore_header(window.table, state)),
    ):
        value = settings.value(key)
        if isinstance(value, QByteArray):
            target(value)
    acts = window.acts
    acts.newest_first.setChecked(_flag(settings.value("newest_first", True)))
    acts.follow.setChecked(_flag(settings.value("follow", True)))
    acts.redact_copies.setChecked(_flag(settings.value("redact_copies", False)))
    text = settings.value("filter", "")
    if isinstance(text, str) and text:
        window.filter_bar.edit.setText(text)


def save_state(window: MainWindow) -> None:
    settings = window.settings
    acts = window.acts
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("splitter", window.splitter.saveState())
    settings.setValue("columns", window.table.horizontalHeader().saveState())
    settings.setValue("newest_first", acts.newest_first.isChecked())
    settings.setValue("follow", acts.follow.isChecked())
    settings.setValue("redact_copies", acts.redact_copies.isChecked())
    settings.setValue("fault_rules_on", window.rules_panel.active_count() > 0)
    settings.sync()


def _flag(value: object) -> bool:
    return value in (True, "true", "1", 1)
