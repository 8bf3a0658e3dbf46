"""Signature verdicts in the app: ✓/✗/– per row, and the Signature tab's diagnosis."""

from __future__ import annotations

import asyncio
import json
import stat
import time
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES
from hookscope.ui.widgets.signature_settings_dialog import SignatureSettingsDialog
from tests.ui.conftest import RunAsync, RunningApp, eventually

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"amount":4200}}}'
SIG_COLUMN = 1


def signed_post(url: str, body: bytes, sent: bytes | None = None) -> None:
    headers = dict(SCHEMES["stripe"].sign(body, SECRET, timestamp=int(time.time())))
    headers["Content-Type"] = "application/json"
    httpx.post(url, content=sent if sent is not None else body, headers=headers)


def test_rows_show_verdicts_and_tab_explains_failure(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            settings = SignatureSettings(
                [SignatureSetting("/stripe*", "stripe", (SECRET,))], tmp_path / "sig.json"
            )
            window.verdicts.set_settings(settings)
            reserialised = json.dumps(json.loads(BODY), indent=2).encode()
            await asyncio.to_thread(signed_post, app.url + "/stripe", BODY)
            await asyncio.to_thread(signed_post, app.url + "/stripe", BODY, reserialised)
            await asyncio.to_thread(httpx.post, app.url + "/other", content=b"{}")
            await eventually(lambda: window.model.rowCount() == 3)
            model = window.model

            def symbols() -> list[str]:
                return [model.data(model.index(r, SIG_COLUMN)) for r in range(3)]

            symbols()  # painting asks for the verdicts
            await eventually(lambda: symbols() == ["–", "✗", "✓"])
            window.select_id(model.summary(1).id)
            await eventually(lambda: "Likely cause" in window.detail.signature.text.toPlainText())
            text = window.detail.signature.text.toPlainText()
            assert "bad-signature" in text
            assert "body-reserialised" in text

    run_async(scenario())


def test_settings_dialog_saves_owner_only(qapp: QApplication, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "config" / "signatures.json"
    dialog = SignatureSettingsDialog(SignatureSettings([], path))
    qtbot.addWidget(dialog)
    saved: list[SignatureSettings] = []
    dialog.saved.connect(saved.append)
    dialog.add_row(SignatureSetting("/hooks/*", "github", ("It's a Secret to Everybody", "old")))
    dialog.save()
    assert saved
    assert saved[0].settings[0].secrets == ("It's a Secret to Everybody", "old")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SignatureSettings.load(path).settings == saved[0].settings


def test_settings_dialog_names_a_bad_row(qapp: QApplication, qtbot, tmp_path: Path) -> None:
    dialog = SignatureSettingsDialog(SignatureSettings([], tmp_path / "s.json"))
    qtbot.addWidget(dialog)
    row = dialog.add_row(SignatureSetting("/a"))
    dialog.table.item(row, 4).setText("soon")
    dialog.save()
    assert dialog.error.text() == "row 1: tolerance is a number of seconds"
    assert not (tmp_path / "s.json").exists()


def test_settings_saved_elsewhere_apply_at_once(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            await asyncio.to_thread(signed_post, app.url + "/stripe", BODY)
            await eventually(lambda: window.model.rowCount() == 1)
            model = window.model
            assert model.data(model.index(0, SIG_COLUMN)) == "–"
            # e.g. a script or another window saves the settings file
            SignatureSettings([SignatureSetting("/stripe", "stripe", (SECRET,))]).save()
            await eventually(lambda: model.data(model.index(0, SIG_COLUMN)) == "✓")

    run_async(scenario())
