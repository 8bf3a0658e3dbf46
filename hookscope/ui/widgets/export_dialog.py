"""Export captures: which ones, in which format, redacted or not, with a preview of what
redaction masks and a progress bar for large exports (the writing runs off the GUI thread)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.formats import EXPORTERS, ExportOptions
from hookscope.core.model import Capture
from hookscope.core.redact import RedactionProfile, Redactor
from hookscope.core.store import Store
from hookscope.ui.asyncqt import in_thread, spawn

__all__ = ["ExportDialog", "ExportScope"]

SUFFIXES = {"har": ".har", "ndjson": ".ndjson", "json": ".json", "csv": ".csv", "curl": ".sh"}


class ExportCancelledError(Exception):
    """The user pressed Cancel while the export was running."""


class ExportScope:
    """The id lists the dialog offers: selected, shown by the filter, all."""

    def __init__(self, selected: Sequence[int], shown: Sequence[int], total: Sequence[int]):
        self.choices = {"selected": list(selected), "shown": list(shown), "all": list(total)}


class ExportDialog(QDialog):
    progressed: ClassVar[Signal] = Signal(int)
    finished_export: ClassVar[Signal] = Signal(str)

    def __init__(
        self, store: Store, scope: ExportScope, base_url: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export captures")
        self.resize(640, 560)
        self.store = store
        self.scope = scope
        self.base_url = base_url
        self._cancel = threading.Event()
        self._task: asyncio.Task[None] | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        scope_row = QHBoxLayout()
        self.scope_group = QButtonGroup(self)
        labels = {"selected": "Selected", "shown": "Shown by the filter", "all": "All"}
        for key, label in labels.items():
            count = len(scope.choices[key])
            button = QRadioButton(f"{label} ({count:,})")
            button.setProperty("scope", key)
            button.setEnabled(count > 0)
            self.scope_group.addButton(button)
            scope_row.addWidget(button)
        first = next((b for b in self.scope_group.buttons() if b.isEnabled()), None)
        if first is not None:
            first.setChecked(True)
        form.addRow("Captures:", _wrap(scope_row))
        self.format = QComboBox()
        for name in EXPORTERS:
            self.format.addItem(name.upper() if name != "curl" else "curl script", name)
        self.format.currentIndexChanged.connect(self._suggest_name)
        form.addRow("Format:", self.format)
        path_row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / "hookscope-export.har"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow("File:", _wrap(path_row))
        self.redact = QCheckBox("Redact secrets (Authorization, cookies, signatures, tokens…)")
        self.redact.toggled.connect(self._preview)
        form.addRow("", self.redact)
        self.extra_headers = QLineEdit()
        self.extra_headers.setPlaceholderText("more header names, e.g. X-Api-Key X-Tenant-*")
        self.extra_params = QLineEdit()
        self.extra_params.setPlaceholderText("query or form parameters, e.g. sig code")
        self.extra_paths = QLineEdit()
        self.extra_paths.setPlaceholderText("JSON paths, e.g. $.data.card.number")
        for label, edit in (
            ("Headers:", self.extra_headers),
            ("Parameters:", self.extra_params),
            ("JSON paths:", self.extra_paths),
        ):
            edit.editingFinished.connect(self._preview)
            form.addRow(label, edit)
        layout.addLayout(form)
        layout.addWidget(QLabel("Redaction preview (first capture):"))
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setObjectName("redactionPreview")
        layout.addWidget(self.preview, 1)
        self.progress = QProgressBar()
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.message = QLabel("")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)
        layout.addWidget(self.buttons)
        self.progressed.connect(self.progress.setValue)
        self._suggest_name()

    # -- choices --------------------------------------------------------------------------

    def chosen_ids(self) -> list[int]:
        button = self.scope_group.checkedButton()
        return self.scope.choices[str(button.property("scope"))] if button else []

    def profile(self) -> RedactionProfile:
        return RedactionProfile(
            headers=tuple(self.extra_headers.text().split()),
            params=tuple(self.extra_params.text().split()),
            json_paths=tuple(self.extra_paths.text().split()),
        )

    def _suggest_name(self) -> None:
        current = Path(self.path.text())
        suffix = SUFFIXES[str(self.format.currentData())]
        self.path.setText(str(current.with_suffix(suffix)))

    def _browse(self) -> None:
        dialog = QFileDialog(self, "Export to", self.path.text())
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def _preview(self) -> None:
        if not self.redact.isChecked():
            self.preview.setPlainText("")
            return
        ids = self.chosen_ids()
        capture = self.store.get(ids[0]) if ids else None
        if capture is None:
            return
        try:
            found = Redactor(self.profile()).preview(capture)
        except ValueError as exc:  # e.g. a JSON path that does not parse
            self.preview.setPlainText(f"cannot redact: {exc}")
            return
        self.preview.setPlainText(
            "\n".join(f"{r.label}: {r.before}  →  {r.after}" for r in found)
            or "nothing to mask in this capture"
        )

    # -- running --------------------------------------------------------------------------

    def start(self) -> None:
        ids = self.chosen_ids()
        if not ids:
            self.message.setText("nothing to export")
            return
        try:
            redactor = Redactor(self.profile()) if self.redact.isChecked() else None
        except ValueError as exc:
            self.message.setText(f"cannot redact: {exc}")
            return
        options = ExportOptions(base_url=self.base_url, redactor=redactor)
        self.progress.setMaximum(len(ids))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self._cancel.clear()
        self._task = spawn(
            self._run(ids, str(self.format.currentData()), Path(self.path.text()), options),
            name="export",
        )

    async def _run(self, ids: list[int], fmt: str, path: Path, options: ExportOptions) -> None:
        try:
            count = await in_thread(
                export_to_file,
                self.store,
                ids,
                fmt,
                path,
                options,
                self.progressed.emit,
                self._cancel,
            )
        except ExportCancelledError:
            self.message.setText("export cancelled; the partial file was removed")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
            return
        except OSError as exc:
            self.message.setText(f"cannot write {path}: {exc.strerror}")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
            return
        text = f"exported {count:,} captures to {path}"
        self.message.setText(text)
        self.finished_export.emit(text)
        self.accept()

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._cancel.set()  # the worker stops at the next capture and removes the file
            return
        self.reject()


def export_to_file(
    store: Store,
    ids: list[int],
    fmt: str,
    path: Path,
    options: ExportOptions,
    progress: Callable[[int], None],
    cancel: threading.Event,
) -> int:
    """Stream the captures to `path` (memory stays bounded); `progress` hears every 200."""

    def counted() -> Iterator[Capture]:
        for done, capture in enumerate(store.iter_captures(ids), start=1):
            if cancel.is_set():
                raise ExportCancelledError
            if done % 200 == 0:
                progress(done)
            yield capture

    try:
        with open(path, "wb") as out:
            count = EXPORTERS[fmt](counted(), out, options)
    except ExportCancelledError:
        path.unlink(missing_ok=True)
        raise
    progress(len(ids))
    return count


def _wrap(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
