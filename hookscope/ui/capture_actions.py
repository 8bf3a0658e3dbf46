"""What the window's actions do to the selected captures: copy, save, replay, compare, star,
note, delete (undoably), clear, export and import.

Store writes go through the CaptureView (which runs them on a worker); reads of whole
captures and bodies run on a worker too: the handlers that need them return their task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from hookscope.core.errors import HookscopeError
from hookscope.core.model import CaptureSummary
from hookscope.core.store import Store
from hookscope.ui.asyncqt import in_thread, spawn
from hookscope.ui.plurals import plural
from hookscope.ui.widgets.export_dialog import ExportDialog, ExportScope

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["CaptureActions"]


class CaptureActions:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.view = window.live.view
        self.store = window.store

    def _say(self, text: str, ms: int) -> None:
        self.w.statusBar().showMessage(text, ms)

    # -- copying and saving ---------------------------------------------------------------

    def copy_as(self, kind: str) -> asyncio.Task[str]:
        """Copy the selected captures as curl, HTTPie or Python (httpx), aimed at this
        receiver, bodies byte for byte; redacted when "Redact copies" is on. The task's
        result is the text copied ("" with nothing selected)."""
        redact = self.w.redact_copies.isChecked()
        return spawn(self._copy(kind, self.w.selected_ids(), redact), name="copy")

    async def _copy(self, kind: str, ids: list[int], redact: bool) -> str:
        if not ids:
            return ""
        text = await in_thread(_commands, self.store, kind, ids, self.w.session.url, redact)
        QGuiApplication.clipboard().setText(text)
        redacted = ", secrets redacted" if redact else ""
        self._say(f"copied {plural(len(ids), 'capture')} as {kind}{redacted}", 3000)
        return text

    def save_body_as(self) -> None:
        ids = self.w.selected_ids()
        if not ids:
            return
        capture_id = ids[0]
        dialog = QFileDialog(self.w, "Save body", str(Path.home() / f"capture-{capture_id}.body"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self.write_body(capture_id, Path(path)))
        dialog.open()

    def write_body(self, capture_id: int, path: Path) -> asyncio.Task[None]:
        return spawn(self._write_body(capture_id, path), name="save body")

    async def _write_body(self, capture_id: int, path: Path) -> None:
        try:
            await in_thread(lambda: path.write_bytes(self.store.body(capture_id)))
        except OSError as exc:
            self._say(f"could not save: {exc.strerror}", 8000)
            return
        self._say(f"saved {path}", 5000)

    # -- marks, deletes -------------------------------------------------------------------

    def delete_selected(self) -> None:
        """Gone from view at once; gone from the store when the undo window has passed."""
        rows = self.view.delete(self.w.selected_ids())
        if not rows:
            return
        them = "it" if len(rows) == 1 else "them"
        message = plural(len(rows), "capture") + " deleted"
        self._say(f"{message} — Ctrl+Z or Undo brings {them} back", 8000)
        self.w.update_counts()

    def restored(self, rows: list[CaptureSummary]) -> None:
        self._say(plural(len(rows), "capture") + " restored", 4000)
        if rows:
            self.w.select_id(rows[0].id)

    def clear_all(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Clear all captures",
            f"Delete all {self.view.counts().total:,} captures from {self.store.path.name}?",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            self.w,
        )
        box.button(QMessageBox.StandardButton.Discard).setText("Delete all")
        discard = QMessageBox.StandardButton.Discard
        box.finished.connect(lambda result: self.view.clear() if result == discard else None)
        box.open()
        self.w._confirm = box  # kept for tests and so it is not collected while open

    def toggle_star(self) -> None:
        ids = self.w.selected_ids()
        if ids:
            self.view.toggle_star(ids)

    def edit_note(self) -> asyncio.Task[None] | None:
        ids = self.w.selected_ids()
        if not ids:
            return None
        return spawn(self._edit_note(ids[0]), name="note")

    async def _edit_note(self, capture_id: int) -> None:
        note = await in_thread(self.view.note_of, capture_id)
        dialog = QInputDialog(self.w)
        dialog.setWindowTitle("Note")
        dialog.setLabelText(f"Note for capture #{capture_id}:")
        dialog.setTextValue(note)
        dialog.textValueSelected.connect(lambda text: self.view.set_note(capture_id, text))
        dialog.open()
        self.w._note_dialog = dialog

    # -- sending again --------------------------------------------------------------------

    def replay_to(self) -> None:
        ids = self.w.selected_ids()
        if not ids:
            return
        dialog = QInputDialog(self.w)
        dialog.setWindowTitle("Replay to")
        dialog.setLabelText(
            f"Send {len(ids)} capture(s) again, byte for byte (old signatures included), to\n"
            "this base URL followed by each capture's own path and query:"
        )
        dialog.setTextValue(str(self.w.settings.value("replay_url", self.w.session.url)))
        dialog.textValueSelected.connect(lambda url: self.replay(ids, url.strip()))
        dialog.open()
        self.w._replay_dialog = dialog

    def replay(self, ids: list[int], base_url: str) -> asyncio.Task[None]:
        self.w.settings.setValue("replay_url", base_url)
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
        await self.w.composer.history.refresh()
        self._say(f"replayed {len(outcomes)} to {base_url}: {', '.join(outcomes[:10])}", 15000)

    def edit_and_resend(self) -> asyncio.Task[None]:
        return spawn(self._edit_and_resend(self.w.selected_ids()), name="edit and resend")

    async def _edit_and_resend(self, ids: list[int]) -> None:
        from hookscope.core.signature_settings import AUTO
        from hookscope.core.signing import detect_schemes

        capture = await in_thread(self.store.get, ids[0]) if ids else None
        if capture is None:
            return
        setting = self.w.verdicts.settings.for_path(capture.path)
        scheme, secret = None, ""
        if setting is not None and setting.secrets:
            scheme = setting.scheme
            if scheme == AUTO:
                found = detect_schemes(capture.headers)
                scheme = found[0] if found else None
            secret = setting.secrets[0]  # the newest: what a provider signs with now
        self.w.composer.load_capture(capture, scheme, secret)
        self.w.pages.setCurrentWidget(self.w.composer)
        note = f", re-signed as {scheme} on send" if scheme else " (no secret known: unsigned)"
        self._say(f"capture #{capture.id} opened in the composer{note}", 8000)

    def compare_selected(self) -> asyncio.Task[None] | None:
        ids = self.w.selected_ids()
        if len(ids) != 2:
            self._say("select exactly two captures to compare", 4000)
            return None
        return spawn(self._compare(ids[0], ids[1]), name="compare")

    async def _compare(self, first_id: int, second_id: int) -> None:
        from hookscope.core.diff import diff_captures
        from hookscope.ui.widgets.compare_dialog import CompareDialog

        first, second = await in_thread(
            lambda: list(self.store.iter_captures([first_id, second_id]))
        )
        diff = await in_thread(diff_captures, first, second)
        dialog = CompareDialog(first, second, diff, self.w)
        dialog.open()
        self.w._compare_dialog = dialog

    # -- export and import ----------------------------------------------------------------

    def export_captures(self) -> None:
        model = self.w.model
        model.flush()
        shown = [model.summary(r).id for r in range(model.rowCount())]
        every = [row.id for row in self.view.all_rows]
        scope = ExportScope(self.w.selected_ids(), sorted(shown), every)
        dialog = ExportDialog(self.store, scope, self.w.session.url, self.w)
        dialog.finished_export.connect(lambda text: self._say(text, 8000))
        dialog.open()
        self.w._export_dialog = dialog

    def choose_import(self) -> None:
        dialog = QFileDialog(
            self.w,
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
                self._say(f"nothing imported: {exc}", 15000)
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Import failed",
                    str(exc),
                    QMessageBox.StandardButton.Close,
                    self.w,
                )
                box.open()
                self.w._import_error = box
                continue
            self._say(f"imported {len(imported):,} captures from {path}", 8000)


def _commands(store: Store, kind: str, ids: list[int], base_url: str, redact: bool) -> str:
    """Worker: the captures as commands of `kind`, one after another."""
    from hookscope.core.formats.curl import curl_command
    from hookscope.core.formats.httpie import httpie_command
    from hookscope.core.formats.python_httpx import python_httpx_snippet
    from hookscope.core.redact import Redactor

    build = {"curl": curl_command, "httpie": httpie_command, "python": python_httpx_snippet}
    redactor = Redactor() if redact else None
    pieces = []
    for capture in store.iter_captures(ids):
        try:
            pieces.append(build[kind](capture, base_url, redactor))
        except HookscopeError as exc:
            pieces.append(f"# capture {capture.id}: {exc}")
    return "\n\n".join(pieces) + "\n"
