"""Signature settings in the window: loaded safely, edited in a dialog, and reloaded when
saved elsewhere (another window, an editor, a script)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher
from PySide6.QtWidgets import QMainWindow

from hookscope.core.errors import HookscopeError
from hookscope.core.signature_settings import SignatureSettings, default_settings_path
from hookscope.ui.widgets.signature_settings_dialog import SignatureSettingsDialog

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["SignatureControl", "load_signature_settings"]


def load_signature_settings(window: QMainWindow) -> SignatureSettings:
    try:
        return SignatureSettings.load()
    except HookscopeError as exc:  # a broken file must not keep the app from starting
        window.statusBar().showMessage(f"signature settings ignored: {exc}", 15000)
        return SignatureSettings([], default_settings_path())


class SignatureControl:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        path = default_settings_path()
        self._stamp = path.stat().st_mtime_ns if path.exists() else None
        # The folder is watched, not the file: saving replaces the file atomically.
        self._watch = QFileSystemWatcher(window)
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        self._watch.addPath(str(folder))
        self._watch.directoryChanged.connect(lambda _: self.reload())

    def edit(self) -> None:
        verdicts = self.w.verdicts
        dialog = SignatureSettingsDialog(verdicts.settings, self.w)
        capture = self.w.detail.capture
        if capture is not None and verdicts.settings.for_path(capture.path) is None:
            from hookscope.core.signature_settings import AUTO, SignatureSetting

            dialog.add_row(SignatureSetting(capture.path, AUTO))  # prefilled for this path
        dialog.saved.connect(self._saved)
        dialog.open()
        self.w._settings_dialog = dialog

    def reload(self) -> None:
        path = default_settings_path()
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp == self._stamp:
            return
        self._stamp = stamp
        self.w.verdicts.set_settings(load_signature_settings(self.w))

    def _saved(self, settings: SignatureSettings) -> None:
        self.w.verdicts.set_settings(settings)
        detail = self.w.detail
        if detail.capture is not None and detail.capture.id is not None:
            detail.show_capture_id(detail.capture.id)
        self.w.statusBar().showMessage(f"signature settings saved to {settings.path}", 5000)
