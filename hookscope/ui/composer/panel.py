"""The composer: craft a webhook (or start from a template or a capture), sign it the way a
provider would, send it, and see the answer. Every send goes into a history that survives
restarts and can be reopened."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.errors import HookscopeError
from hookscope.core.model import Capture, first_header
from hookscope.core.send.copy_as import curl_for
from hookscope.core.send.sender import OutgoingRequest, SendResult, send
from hookscope.core.send.signer import make_signer, preview
from hookscope.core.send.variables import VARIABLES, Variables, placeholders
from hookscope.core.signing import SCHEMES, SigningInputError
from hookscope.core.store import Store
from hookscope.core.templates import TEMPLATES
from hookscope.ui.asyncqt import in_thread, spawn
from hookscope.ui.composer.headers_editor import HeadersEditor
from hookscope.ui.composer.history import SendHistory
from hookscope.ui.models.pairs import PairsModel
from hookscope.ui.widgets.body_view import BodyView, prepare_body
from hookscope.ui.widgets.json_highlighter import JsonHighlighter

if TYPE_CHECKING:
    from hookscope.core.send.history import StoredSend

__all__ = ["ComposerPanel"]

METHODS = ("POST", "PUT", "PATCH", "GET", "DELETE", "HEAD", "OPTIONS")


class ComposerPanel(QWidget):
    sent: ClassVar[Signal] = Signal(object)  # SendResult

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.base_url = "http://127.0.0.1:9480"
        self.variables = Variables()
        self.binary_body: bytes | None = None  # a non-text body from a capture, kept exact
        self.source = ""
        self.msg_id: str | None = None  # the event id a resend keeps (see core.send.signer)
        self._task: asyncio.Task[None] | None = None
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.template = QComboBox()
        self.template.addItem("Start from a template…", "")
        for name, template in TEMPLATES.items():
            self.template.addItem(template.title, name)
        self.template.activated.connect(self._template_chosen)
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHODS)
        self.url = QLineEdit()
        self.url.setObjectName("composerUrl")
        self.url.setPlaceholderText("http://127.0.0.1:9480/hooks/test")
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send_now)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.activated.connect(self.send_now)
        self.copy_curl = QPushButton("Copy as curl")
        self.copy_curl.clicked.connect(self._copy_curl)
        top.addWidget(self.template)
        top.addWidget(self.method)
        top.addWidget(self.url, 1)
        top.addWidget(self.send_button)
        top.addWidget(self.copy_curl)
        outer.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)

        # Left: the request.
        request = QWidget()
        left = QVBoxLayout(request)
        left.setContentsMargins(0, 0, 0, 0)
        self.headers = HeadersEditor()
        left.addWidget(QLabel("Headers"))
        left.addWidget(self.headers, 2)
        body_bar = QHBoxLayout()
        body_bar.addWidget(QLabel("Body"))
        self.body_state = QLabel("")
        self.body_state.setObjectName("bodyState")
        body_bar.addWidget(self.body_state, 1)
        self.pretty = QPushButton("Pretty")
        self.minify = QPushButton("Minify")
        self.pretty.clicked.connect(lambda: self._reformat(indent=2))
        self.minify.clicked.connect(lambda: self._reformat(indent=None))
        body_bar.addWidget(self.pretty)
        body_bar.addWidget(self.minify)
        left.addLayout(body_bar)
        self.body = QPlainTextEdit()
        self.body.setObjectName("composerBody")
        self.body.setFont(mono)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.highlighter = JsonHighlighter(self.body.document())
        left.addWidget(self.body, 5)

        signing = QGroupBox("Signing")
        form = QFormLayout(signing)
        self.scheme = QComboBox()
        self.scheme.setObjectName("signingScheme")
        self.scheme.addItem("not signed", "")
        for name in SCHEMES:
            if name != "hmac":  # the generic scheme needs its own options: see the CLI
                self.scheme.addItem(name, name)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("the secret as the provider shows it, e.g. whsec_…")
        self.signing_preview = QPlainTextEdit()
        self.signing_preview.setReadOnly(True)
        self.signing_preview.setFont(mono)
        self.signing_preview.setMaximumHeight(90)
        self.signing_preview.setObjectName("signingPreview")
        form.addRow("Scheme", self.scheme)
        form.addRow("Secret", self.secret)
        form.addRow("Adds", self.signing_preview)
        left.addWidget(signing)

        options = QHBoxLayout()
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.1, 600)
        self.timeout.setValue(10)
        self.timeout.setSuffix(" s timeout")
        self.verify_tls = QCheckBox("Verify TLS certificates")
        self.verify_tls.setChecked(True)
        self.verify_tls.toggled.connect(self._tls_warning)
        self.follow = QCheckBox("Follow redirects")
        options.addWidget(self.timeout)
        options.addWidget(self.verify_tls)
        options.addWidget(self.follow)
        options.addStretch(1)
        left.addLayout(options)
        splitter.addWidget(request)

        # Right: the answer and the history.
        right = QTabWidget()
        answer = QWidget()
        answer_layout = QVBoxLayout(answer)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("Nothing sent yet.")
        self.status.setObjectName("responseStatus")
        answer_layout.addWidget(self.status)
        self.response_headers = PairsModel(parent=self)
        headers_view = QTableView()
        headers_view.setModel(self.response_headers)
        headers_view.horizontalHeader().setStretchLastSection(True)
        headers_view.verticalHeader().setDefaultSectionSize(22)
        answer_layout.addWidget(headers_view, 1)
        self.response_body = BodyView()
        answer_layout.addWidget(self.response_body, 2)
        right.addTab(answer, "Response")
        self.history = SendHistory(store)
        self.history.reopened.connect(self._load_stored)
        right.addTab(self.history, "History")
        splitter.addWidget(right)
        splitter.setSizes([700, 600])

        # Keep the JSON check and the signing preview live, without work on every keystroke.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh)
        for changed in (
            self.body.textChanged,
            self.secret.textChanged,
            self.url.textChanged,
            self.scheme.currentIndexChanged,
            self.headers.changed,
        ):
            changed.connect(lambda *_: self._debounce.start())
        self._template_by_name("order-created")  # the history is read by its owner's start

    # -- what the user composes -----------------------------------------------------------

    def set_base_url(self, url: str) -> None:
        """hookscope's own receiver: where templates are sent unless the user says otherwise."""
        old = self.base_url
        self.base_url = url.rstrip("/")
        if self.url.text().startswith(old):
            self.url.setText(self.base_url + self.url.text()[len(old) :])

    def _template_chosen(self, index: int) -> None:
        name = self.template.itemData(index)
        if name:
            self._template_by_name(str(name))
        self.template.setCurrentIndex(0)

    def _template_by_name(self, name: str) -> None:
        template = TEMPLATES[name]
        self.load_request(
            template.request(self.base_url), scheme=template.scheme, source=f"template {name}"
        )

    def load_request(
        self,
        request: OutgoingRequest,
        *,
        scheme: str | None = None,
        secret: str = "",
        source: str = "",
    ) -> None:
        """Fill the composer (a template, a capture to edit and resend, a history item)."""
        self.msg_id = None  # a new event unless load_capture says otherwise
        self.method.setCurrentText(request.method)
        self.url.setText(request.url)
        self.headers.set_headers(request.headers)
        self.source = source
        try:
            text = request.body.decode("utf-8")
            self.binary_body = None
            self.body.setReadOnly(False)
            self.body.setPlainText(text)
        except UnicodeDecodeError:  # binary: shown, and sent exactly as it was
            self.binary_body = request.body
            self.body.setPlainText(
                f"(binary body, {len(request.body):,} bytes: sent exactly as captured)"
            )
            self.body.setReadOnly(True)
        index = self.scheme.findData(scheme or "")
        self.scheme.setCurrentIndex(max(0, index))
        if secret:
            self.secret.setText(secret)
        self.refresh()

    def load_capture(self, capture: Capture, scheme: str | None, secret: str) -> None:
        """Edit and resend: the capture's request, to be re-signed on send if a scheme is set
        (fresh timestamp, same event id), by core.send.signer.resign_capture, the one path every
        resend takes. Headers the sender writes itself (Host, Connection, Content-Length) are
        not shown: they would not go out as shown."""
        from hookscope.core.send.sender import DROPPED_ON_SEND
        from hookscope.core.send.signer import replay_url, resign_capture, unsigned

        url = replay_url(self.base_url, capture)
        msg_id = None
        if scheme and scheme in SCHEMES and secret:
            try:
                signed, signer = resign_capture(capture, SCHEMES[scheme], secret.strip(), url)
            except (HookscopeError, SigningInputError) as exc:
                self.status.setText(f"Cannot re-sign: {exc}")
                signed = OutgoingRequest(capture.method, url, capture.headers, capture.body)
            else:
                msg_id = signer.msg_id
            # The signing headers are the preview's ("Adds"): made afresh at every send.
            request = unsigned(signed, SCHEMES[scheme])
        else:
            kept = tuple((n, v) for n, v in capture.headers if n.lower() not in DROPPED_ON_SEND)
            request = OutgoingRequest(capture.method, url, kept, capture.body)
        status = self.status.text() if self.status.text().startswith("Cannot re-sign") else ""
        self.load_request(request, scheme=scheme, secret=secret, source=f"capture {capture.id}")
        self.msg_id = msg_id
        self.clear_result(status or f"Capture {capture.id} loaded: edit, then Send.")
        self.refresh()

    def body_bytes(self) -> bytes:
        if self.binary_body is not None:
            return self.binary_body
        return self.body.toPlainText().encode("utf-8")

    def current_request(self) -> OutgoingRequest:
        return OutgoingRequest(
            self.method.currentText().strip().upper() or "POST",
            self.url.text().strip(),
            self.headers.headers(),
            self.body_bytes(),
        )

    # -- live checks ----------------------------------------------------------------------

    def refresh(self) -> None:
        self._check_json()
        self._preview_signature()

    def _check_json(self) -> None:
        if self.binary_body is not None:
            self.body_state.setText("binary body")
            return
        text = self.body.toPlainText()
        unknown = [n for n in placeholders(text) if n not in VARIABLES]
        note = f"  •  unknown variable {{{{{unknown[0]}}}}}" if unknown else ""
        if not text.strip():
            self.body_state.setText("empty body" + note)
            self.body_state.setStyleSheet("")
            return
        looks_json = text.lstrip()[:1] in ("{", "[")
        if not looks_json:
            self.body_state.setText(f"{len(text.encode()):,} bytes of text" + note)
            self.body_state.setStyleSheet("")
            return
        try:
            json.loads(_neutral(text))
        except json.JSONDecodeError as exc:
            self.body_state.setText(
                f"JSON error at line {exc.lineno}, column {exc.colno}: {exc.msg}" + note
            )
            self.body_state.setStyleSheet("color: #d0443a;")
            return
        self.body_state.setText("valid JSON" + note)
        self.body_state.setStyleSheet("color: #2e9d48;" if not unknown else "color: #b25d00;")

    def _preview_signature(self) -> None:
        scheme = str(self.scheme.currentData() or "")
        if not scheme:
            self.signing_preview.setPlainText("(nothing: the request goes out unsigned)")
            return
        if not self.secret.text().strip():
            self.signing_preview.setPlainText("(enter the secret to see the headers)")
            return
        try:
            body = self.variables.expand_bytes(self.body_bytes())[0]
            added = preview(
                scheme, self._secret(), body, self.url.text().strip(), msg_id=self.msg_id
            )
        except (SigningInputError, HookscopeError) as exc:
            self.signing_preview.setPlainText(f"cannot sign: {exc}")
            return
        self.signing_preview.setPlainText("\n".join(f"{n}: {v}" for n, v in added))

    def _secret(self) -> str:
        """One secret, exactly as typed but for the ends (GitHub's may contain spaces)."""
        return self.secret.text().strip()

    def _tls_warning(self, verify: bool) -> None:
        self.verify_tls.setStyleSheet("" if verify else "color: #d0443a; font-weight: bold;")
        self.verify_tls.setText(
            "Verify TLS certificates" if verify else "TLS certificates NOT verified"
        )

    def _reformat(self, indent: int | None) -> None:
        text = self.body.toPlainText()
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            self._check_json()
            return
        separators = (",", ": ") if indent else (",", ":")
        self.body.setPlainText(
            json.dumps(document, indent=indent, ensure_ascii=False, separators=separators)
        )

    # -- sending --------------------------------------------------------------------------

    def send_now(self) -> asyncio.Task[None] | None:
        if self._task is not None and not self._task.done():
            return None
        try:
            expansion = self.variables.expand(self.current_request())
            signer = None
            scheme = str(self.scheme.currentData() or "")
            if scheme and not self.secret.text().strip():
                raise HookscopeError(f"enter the {scheme} secret, or choose 'not signed'")
            if scheme:
                signer = make_signer(scheme, self._secret(), msg_id=self.msg_id)
        except (SigningInputError, HookscopeError) as exc:
            self._show_problem(f"Not sent: {exc}")
            return None
        self.send_button.setEnabled(False)
        self.status.setText("Sending…")
        self._task = spawn(self._send(expansion.request, signer, scheme or None), name="send")
        return self._task

    async def _send(self, request: OutgoingRequest, signer: object, scheme: str | None) -> None:
        try:
            result = await send(
                request,
                signer=signer,  # type: ignore[arg-type]
                timeout_s=self.timeout.value(),
                verify_tls=self.verify_tls.isChecked(),
                follow_redirects=self.follow.isChecked(),
            )
        finally:
            self.send_button.setEnabled(True)
        await in_thread(self.store.add_send, result, scheme=scheme, source=self.source)
        self.show_result(result)
        await self.history.refresh()
        self.sent.emit(result)

    def _show_problem(self, message: str) -> None:
        """A send that did not happen: said in red, with no earlier answer left under it."""
        self.clear_result(message)
        self.status.setStyleSheet("color: #d0443a; font-weight: bold;")

    def clear_result(self, message: str = "Nothing sent yet.") -> None:
        self.status.setText(message)
        self.status.setStyleSheet("")
        self.response_headers.set_pairs([])
        self.response_body.clear()

    def show_result(self, result: SendResult) -> None:
        if result.error:
            self.status.setText(f"✗ {result.error}  ({result.elapsed_ms:.0f} ms)")
            self.status.setStyleSheet("color: #d0443a; font-weight: bold;")
        else:
            colour = "#2e9d48" if result.ok else "#d08a12"
            self.status.setText(
                f"{result.status}  •  {result.elapsed_ms:.0f} ms  •  HTTP/{result.http_version}"
                f"  •  {len(result.response_body):,} bytes"
            )
            self.status.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.response_headers.set_pairs(result.response_headers)
        content_type = first_header(result.response_headers, "Content-Type") or ""
        encoding = first_header(result.response_headers, "Content-Encoding") or ""
        self.response_body.show_body(
            prepare_body(result.response_body, content_type, encoding), len(result.response_body)
        )

    # -- history --------------------------------------------------------------------------

    def refresh_history(self) -> None:
        spawn(self.history.refresh(), name="send history")

    async def _reopen(self, item: QListWidgetItem) -> None:
        await self.history.reopen(item)

    def _load_stored(self, stored: StoredSend) -> None:
        request = stored.result.request
        scheme = stored.scheme
        if scheme and scheme in SCHEMES:  # the old signature would be stale: sign afresh
            from hookscope.core.send.signer import strip_signature_headers

            request = OutgoingRequest(
                request.method,
                request.url,
                strip_signature_headers(request.headers, SCHEMES[scheme]),
                request.body,
            )
        self.load_request(request, scheme=scheme, source=f"history {stored.id}")
        self.show_result(stored.result)

    def _copy_curl(self) -> None:
        """The request as curl, variables expanded and, if a scheme is chosen, signed now (the
        timestamp in it ages like any signed request's)."""
        try:
            request = self.variables.expand(self.current_request()).request
            scheme = str(self.scheme.currentData() or "")
            signer = make_signer(scheme, self._secret(), msg_id=self.msg_id) if scheme else None
            command = curl_for(request, signer)
        except (HookscopeError, SigningInputError) as exc:
            self._show_problem(f"Not copied: {exc}")
            return
        QGuiApplication.clipboard().setText(command)
        self.status.setText("curl command copied" + (f", signed as {scheme}" if signer else ""))


def _neutral(text: str) -> str:
    """The body with `{{variables}}` that stand for numbers made valid for a JSON check."""
    for name in ("now", "random_int", "seq"):  # the variables that stand for numbers
        text = text.replace("{{" + name + "}}", "0")
    return text
