"""The composer against hookscope's own receiver: signed sends arrive byte for byte."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from hookscope.core.receiver import Receiver
from hookscope.core.send.sender import OutgoingRequest
from hookscope.core.signing import SCHEMES
from hookscope.core.store import Store
from hookscope.ui.composer.panel import ComposerPanel
from tests.core.factories import make_capture
from tests.ui.conftest import RunAsync, eventually

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    store = Store.open(tmp_path / "receiver.db")
    running = Receiver(store, port=0)
    running.start()
    yield running
    running.stop()
    store.close()


@pytest.fixture
def panel(qtbot: Any, tmp_path: Path, receiver: Receiver) -> Iterator[ComposerPanel]:
    store = Store.open(tmp_path / "app.db")
    composer = ComposerPanel(store)
    qtbot.addWidget(composer)
    composer.set_base_url(receiver.url)
    yield composer
    store.close()


def test_signed_template_arrives_exactly_and_verifies(
    qapp: QApplication, run_async: RunAsync, panel: ComposerPanel, receiver: Receiver
) -> None:
    panel._template_by_name("stripe-payment-intent-succeeded")
    panel.secret.setText(SECRET)
    panel.refresh()
    assert "Stripe-Signature: t=" in panel.signing_preview.toPlainText()

    async def scenario() -> None:
        task = panel.send_now()
        assert task is not None
        await task

    run_async(scenario())
    assert panel.status.text().startswith("200")
    capture = receiver.store.get(1)
    assert capture is not None
    assert b"{{" not in capture.body  # variables were expanded
    verdict = SCHEMES["stripe"].verify(
        capture.headers, capture.body, SECRET, now=capture.received_us / 1e6
    )
    assert verdict.valid, verdict.detail
    history = panel.store.send_summaries()
    assert len(history) == 1
    assert history[0].scheme == "stripe"
    stored = panel.store.get_send(history[0].id)
    assert stored is not None
    assert stored.result.request.body == capture.body
    assert SECRET not in repr(stored)  # the secret is never kept


def test_binary_capture_is_resent_byte_for_byte(
    qapp: QApplication, run_async: RunAsync, panel: ComposerPanel, receiver: Receiver
) -> None:
    body = os.urandom(2048) + b"\xff\xfe\x00"
    capture = make_capture(
        id=9, body=body, target="/bin?x=1", headers=(("Content-Type", "application/octet-stream"),)
    )
    panel.load_capture(capture, None, "")
    assert panel.body.isReadOnly()
    assert panel.url.text() == receiver.url + "/bin?x=1"
    run_async(_send(panel))
    stored = receiver.store.get(1)
    assert stored is not None
    assert stored.body == body
    assert stored.target == "/bin?x=1"


def test_edit_and_resend_resigns_with_fresh_timestamp(
    qapp: QApplication, run_async: RunAsync, panel: ComposerPanel, receiver: Receiver
) -> None:
    body = b'{"type":"charge.succeeded"}'
    old = SCHEMES["stripe"].sign(body, SECRET, timestamp=1_600_000_000)
    capture = make_capture(body=body, headers=(("Content-Type", "application/json"), *old))
    panel.load_capture(capture, "stripe", SECRET)
    assert all(n.lower() != "stripe-signature" for n, _ in panel.headers.headers())
    run_async(_send(panel))
    stored = receiver.store.get(1)
    assert stored is not None
    assert (
        SCHEMES["stripe"]
        .verify(stored.headers, stored.body, SECRET, now=stored.received_us / 1e6)
        .valid
    )
    assert stored.header("Stripe-Signature") != dict(old)["Stripe-Signature"]


def test_json_errors_name_line_and_column(panel: ComposerPanel) -> None:
    panel.load_request(OutgoingRequest("POST", "http://x/", (), b'{\n  "a": 1,\n  "b": }'))
    assert panel.body_state.text().startswith("JSON error at line 3, column 8")
    panel.load_request(OutgoingRequest("POST", "http://x/", (), b'{"n": {{now}}, "x": "{{who}}"}'))
    assert panel.body_state.text() == "valid JSON  •  unknown variable {{who}}"


def test_template_variables_are_all_known(panel: ComposerPanel) -> None:
    panel._template_by_name("stripe-payment-intent-succeeded")  # uses {{random_id}}, {{now}}
    assert panel.body_state.text() == "valid JSON"


def test_pretty_and_minify(panel: ComposerPanel) -> None:
    panel.load_request(OutgoingRequest("POST", "http://x/", (), b'{"a":[1,2]}'))
    panel._reformat(indent=2)
    assert panel.body.toPlainText() == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    panel._reformat(indent=None)
    assert panel.body.toPlainText() == '{"a":[1,2]}'


def test_unreachable_target_is_shown_and_kept_in_history(
    qapp: QApplication, run_async: RunAsync, panel: ComposerPanel
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    panel.url.setText(f"http://127.0.0.1:{port}/nobody")
    assert panel.send_now() is None  # the template is signed, and no secret is set
    assert (
        panel.status.text()
        == "Not sent: enter the standard-webhooks secret, or choose 'not signed'"
    )
    panel.scheme.setCurrentIndex(0)
    run_async(_send(panel))
    assert "connection refused" in panel.status.text()
    assert panel.history.count() == 1
    run_async(panel._reopen(panel.history.item(0)))
    assert panel.url.text() == f"http://127.0.0.1:{port}/nobody"


async def _send(panel: ComposerPanel) -> None:
    task = panel.send_now()
    assert task is not None
    await task
    await eventually(lambda: panel.send_button.isEnabled())
    await asyncio.sleep(0)


def test_copy_as_curl_is_signed_and_runs(
    qapp: QApplication, run_async: RunAsync, panel: ComposerPanel, receiver: Receiver
) -> None:
    import subprocess

    from PySide6.QtGui import QGuiApplication

    panel._template_by_name("github-push")
    panel.scheme.setCurrentIndex(panel.scheme.findData("github"))
    panel.secret.setText("It's a Secret to Everybody")
    panel._copy_curl()
    assert panel.status.text() == "curl command copied, signed as github"
    command = QGuiApplication.clipboard().text()
    result = subprocess.run(["sh", "-c", command], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
    stored = receiver.store.get(1)
    assert stored is not None
    assert SCHEMES["github"].verify(stored.headers, stored.body, "It's a Secret to Everybody").valid


@pytest.mark.parametrize("scheme", ["standard-webhooks", "svix"])
def test_edit_and_resend_keeps_the_event_id(
    qapp: QApplication,
    run_async: RunAsync,
    panel: ComposerPanel,
    receiver: Receiver,
    scheme: str,
) -> None:
    body = b'{"type":"invoice.paid"}'
    old = SCHEMES[scheme].sign(body, SECRET, msg_id="msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", timestamp=1)
    capture = make_capture(body=body, headers=(("Content-Type", "application/json"), *old))
    id_header = next(n for n, v in old if v == "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    panel.load_capture(capture, scheme, SECRET)
    assert "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" in panel.signing_preview.toPlainText()
    run_async(_send(panel))
    stored = receiver.store.get(1)
    assert stored is not None
    assert stored.header(id_header) == "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    now = stored.received_us / 1e6
    assert SCHEMES[scheme].verify(stored.headers, stored.body, SECRET, now=now).valid


def test_edit_and_resend_shows_only_headers_it_sends(
    qapp: QApplication, run_async: RunAsync, panel: ComposerPanel, receiver: Receiver
) -> None:
    capture = make_capture(
        body=b"{}",
        headers=(
            ("Host", "127.0.0.1:9480"),
            ("Connection", "keep-alive"),
            ("Content-Length", "2"),
            ("X-Kept", "yes"),
        ),
    )
    panel.load_capture(capture, None, "")
    assert [name for name, _ in panel.headers.headers()] == ["X-Kept"]
    run_async(_send(panel))
    stored = receiver.store.get(1)
    assert stored is not None
    assert stored.header("X-Kept") == "yes"
    assert stored.header("Host") == receiver.url.removeprefix("http://")
