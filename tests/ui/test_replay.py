"""Replay to a URL (exact bytes) and Edit and resend (re-signed) from the capture table."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.receiver import Receiver
from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES
from hookscope.core.store import Store
from tests.ui.conftest import RunAsync, RunningApp, eventually

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"id":"evt_9","type":"invoice.paid"}'


def test_replay_sends_exact_bytes_and_edit_resend_resigns(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    other_store = Store.open(tmp_path / "other.db")
    other = Receiver(other_store, port=0)
    other.start()

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            window.verdicts.set_settings(
                SignatureSettings([SignatureSetting("/pay*", "auto", (SECRET,))])
            )
            signed = SCHEMES["stripe"].sign(BODY, SECRET, timestamp=int(time.time()) - 3600)
            await asyncio.to_thread(
                httpx.post, app.url + "/pay?x=1", content=BODY, headers=dict(signed)
            )
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(window.model.summary(0).id)
            await window._replay(window.selected_ids(), other.url)
            original = window.store.get(1)
            replayed = other_store.get(1)
            assert original is not None
            assert replayed is not None
            assert replayed.body == original.body
            assert replayed.target == "/pay?x=1"
            assert replayed.header("Stripe-Signature") == original.header("Stripe-Signature")
            assert "replayed 1" in window.statusBar().currentMessage()

            await window.edit_and_resend()
            assert window.pages.currentWidget() is window.composer
            assert window.composer.scheme.currentData() == "stripe"
            window.composer.url.setText(other.url + "/pay?x=1")
            task = window.composer.send_now()
            assert task is not None
            await task
            resent = other_store.get(2)
            assert resent is not None
            assert resent.body == BODY
            verdict = SCHEMES["stripe"].verify(
                resent.headers, resent.body, SECRET, now=resent.received_us / 1e6
            )
            assert verdict.valid, verdict.detail  # the stale signature was replaced

    try:
        run_async(scenario())
    finally:
        other.stop()
        other_store.close()
