"""Edit which secret (and scheme) checks the captures under each path pattern."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.errors import HookscopeError
from hookscope.core.signature_settings import AUTO, SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES

__all__ = ["SignatureSettingsDialog"]

PATH, SCHEME, SECRETS, PUBLIC_URL, TOLERANCE = range(5)


class SignatureSettingsDialog(QDialog):
    saved: ClassVar[Signal] = Signal(object)  # the new SignatureSettings

    def __init__(self, settings: SignatureSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Signature settings")
        self.resize(980, 420)
        self.settings = settings
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Captures whose path matches a pattern are verified with its scheme and secret "
                "(several separated by ; during a rotation: the first signs what you resend). "
                "The first matching pattern wins.\n"
                "Secrets are kept in your config folder, readable by you only, never in the "
                "capture store or an export."
            )
        )
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("signatureSettingsTable")
        self.table.setHorizontalHeaderLabels(
            ["Path pattern", "Scheme", "Secret(s)", "Public URL (Twilio, Square)", "Tolerance s"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((180, 170, 300, 200)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        add = QPushButton("Add")
        add.clicked.connect(lambda: self.add_row(SignatureSetting("/*")))
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_selected)
        self.show_secrets = QCheckBox("Show secrets")
        self.show_secrets.toggled.connect(self._mask)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #d0443a;")
        for widget in (add, remove, self.show_secrets):
            row.addWidget(widget)
        row.addWidget(self.error, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for setting in settings.settings:
            self.add_row(setting)

    def add_row(self, setting: SignatureSetting) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, PATH, QTableWidgetItem(setting.path))
        scheme = QComboBox()
        scheme.addItem("auto-detect", AUTO)
        for name in SCHEMES:
            scheme.addItem(name, name)
        scheme.setCurrentIndex(max(0, scheme.findData(setting.scheme)))
        self.table.setCellWidget(row, SCHEME, scheme)
        secrets = QLineEdit("; ".join(setting.secrets))
        secrets.setPlaceholderText("whsec_…")
        self.table.setCellWidget(row, SECRETS, secrets)
        self.table.setItem(row, PUBLIC_URL, QTableWidgetItem(setting.public_url))
        tolerance = "" if setting.tolerance_s is None else f"{setting.tolerance_s:g}"
        self.table.setItem(row, TOLERANCE, QTableWidgetItem(tolerance))
        self._mask(self.show_secrets.isChecked())
        return row

    def _mask(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for row in range(self.table.rowCount()):
            widget = self.table.cellWidget(row, SECRETS)
            if isinstance(widget, QLineEdit):
                widget.setEchoMode(mode)

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def collect(self) -> SignatureSettings:
        """The settings as edited; HookscopeError names the row that is wrong."""
        result: list[SignatureSetting] = []
        for row in range(self.table.rowCount()):
            path = _text(self.table.item(row, PATH))
            if not path:
                raise HookscopeError(f"row {row + 1}: give a path pattern such as /hooks/*")
            scheme = self.table.cellWidget(row, SCHEME)
            secrets = self.table.cellWidget(row, SECRETS)
            assert isinstance(scheme, QComboBox)
            assert isinstance(secrets, QLineEdit)
            tolerance_text = _text(self.table.item(row, TOLERANCE))
            try:
                tolerance = float(tolerance_text) if tolerance_text else None
            except ValueError:
                raise HookscopeError(f"row {row + 1}: tolerance is a number of seconds") from None
            result.append(
                SignatureSetting(
                    path=path,
                    scheme=str(scheme.currentData()),
                    secrets=split_secrets(secrets.text()),
                    public_url=_text(self.table.item(row, PUBLIC_URL)),
                    tolerance_s=tolerance,
                )
            )
        return SignatureSettings(result, self.settings.path)

    def save(self) -> None:
        try:
            settings = self.collect()
            settings.save()
        except (HookscopeError, OSError) as exc:
            self.error.setText(str(exc))
            return
        self.settings = settings
        self.saved.emit(settings)
        self.accept()


def split_secrets(text: str) -> tuple[str, ...]:
    """Secrets separated by ';' (a secret may contain spaces, as GitHub's often do)."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _text(item: QTableWidgetItem | None) -> str:
    return item.text().strip() if item is not None else ""
