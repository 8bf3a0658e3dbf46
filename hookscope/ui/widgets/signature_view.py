"""The Signature tab: the verdict on the selected capture and, when it fails, why."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from hookscope.core.verdicts import VALID, CaptureVerdict

__all__ = ["SignatureView"]

_CONTENT_LIMIT = 4000


class SignatureView(QWidget):
    settings_requested: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QTextBrowser()
        self.text.setObjectName("signatureText")
        layout.addWidget(self.text, 1)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.edit = QPushButton("Signature settings…")
        self.edit.clicked.connect(self.settings_requested.emit)
        bar.addWidget(self.edit)
        layout.addLayout(bar)

    def show_verdict(self, verdict: CaptureVerdict | None) -> None:
        if verdict is None:
            self.text.setHtml("<p style='color:gray'>Checking…</p>")
            return
        if verdict.verification is None:
            self.text.setHtml(
                f"<h3>– Not checked</h3><p>{html.escape(verdict.summary)}.</p>"
                "<p>Set a secret for this path in <i>Signature settings…</i> and every capture "
                "under it shows ✓ or ✗ in the table.</p>"
            )
            return
        v = verdict.verification
        ok = verdict.symbol == VALID
        colour = "#2e9d48" if ok else "#d0443a"
        title = "Valid signature" if ok else "Signature does not verify"
        rows = [
            ("Scheme", v.scheme),
            ("Reason", v.reason.value),
            ("Detail", _detail_without(v.detail, v.diagnosis.explanation if v.diagnosis else "")),
            ("Checked for", f"{verdict.setting.path if verdict.setting else ''}  ({verdict.url})"),
        ]
        if v.timestamp is not None:
            rows.append(("Signed at", signed_at(v.timestamp)))
        if v.received:
            rows.append(("Received", "\n".join(v.received)))
        if v.expected:
            rows.append(("Expected", "\n".join(v.expected)))
        table = "".join(
            f"<tr><td style='color:gray;padding-right:12px;vertical-align:top'>{k}</td>"
            f"<td><pre style='margin:0;white-space:pre-wrap'>{html.escape(val)}</pre></td></tr>"
            for k, val in rows
        )
        diagnosis = ""
        if v.diagnosis is not None:
            diagnosis = (
                f"<h4>Likely cause: {html.escape(v.diagnosis.code)}</h4>"
                f"<p>{html.escape(v.diagnosis.explanation)}</p>"
            )
        content = ""
        if v.signed_content is not None:
            text = v.signed_content[:_CONTENT_LIMIT].decode("utf-8", "replace")
            more = "…" if len(v.signed_content) > _CONTENT_LIMIT else ""
            content = (
                f"<h4>Signed content ({len(v.signed_content):,} bytes)</h4>"
                f"<pre style='white-space:pre-wrap'>{html.escape(text)}{more}</pre>"
            )
        self.text.setHtml(
            f"<h3 style='color:{colour}'>{verdict.symbol} {title}</h3>"
            f"<table>{table}</table>{diagnosis}{content}"
        )


def _detail_without(detail: str, explanation: str) -> str:
    """The detail, less the diagnosis it ends with (shown once, under "Likely cause")."""
    if explanation and explanation in detail:
        detail = detail.replace(explanation, "").strip()
    return detail


def signed_at(timestamp: int) -> str:
    """A signature's Unix time as people read it: UTC, local time, and the value signed."""
    try:
        moment = datetime.fromtimestamp(timestamp, UTC)
    except (OverflowError, OSError, ValueError):  # a forged or garbled timestamp
        return f"{timestamp} (not a date)"
    utc = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    local = moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    return f"{utc}\n{local} (local)\nUnix {timestamp}"
