"""Small view preferences kept between runs (wrap on or off, ...), in the app's ui.ini.

Widgets read and write them here rather than through the main window, so that a widget keeps
its own preferences wherever it is placed."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from hookscope.core.paths import config_dir

__all__ = ["flag", "set_flag", "ui_settings"]


def ui_settings() -> QSettings:
    # Every QSettings on one file in a process shares one cache: the main window's and these
    # see each other's values at once.
    return QSettings(str(config_dir() / "ui.ini"), QSettings.Format.IniFormat)


def flag(key: str, default: bool) -> bool:
    value = ui_settings().value(key, default)
    return value in (True, "true", "1", 1)


def set_flag(key: str, on: bool) -> None:
    ui_settings().setValue(key, on)
