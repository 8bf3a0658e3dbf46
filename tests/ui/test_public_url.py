"""The header's Public URL control in the running app: only installed tools can be picked,
a tunnel (a fake cloudflared on PATH) shows its URL with the secret prefix, the guards hold
while it is up, and stopping ends the tool and lifts the guards."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QStandardItemModel
from PySide6.QtWidgets import QApplication

from tests.core.tunnels.conftest import FAKES, alive, started
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_only_installed_tools_can_be_picked(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(FAKES))  # the fakes, and no ssh

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            assert app.window is not None
            control = app.window.header.public
            model = control.provider.model()
            assert isinstance(model, QStandardItemModel)
            enabled = {model.item(r).text(): model.item(r).isEnabled() for r in range(4)}
            assert enabled == {"ssh": False, "cloudflared": True, "ngrok": True, "tailscale": True}
            tip = control.provider.itemData(0, Qt.ItemDataRole.ToolTipRole)
            assert tip.startswith("ssh: not installed: `ssh` is not on PATH; install OpenSSH")
            assert control.provider.currentText() == "cloudflared"

    run_async(scenario())


def test_go_public_shows_the_url_guards_hold_and_stop_ends_the_tool(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "starts.ndjson"
    monkeypatch.setenv("PATH", f"{FAKES}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_TUNNEL_LOG", str(log))
    monkeypatch.delenv("FAKE_TUNNEL_MODE", raising=False)

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            assert app.window is not None
            control = app.window.header.public
            control.provider.setCurrentText("cloudflared")
            control.start.click()
            await eventually(lambda: control.url.text() != "")
            url = control.url.text()
            base = "https://quiet-river-1-lock.trycloudflare.com/h/"
            assert url.startswith(base)
            assert control.state.text() == "● up"
            assert control.start.text() == "Stop public"
            control.copy.click()
            assert QGuiApplication.clipboard().text() == url
            prefix = url.removeprefix("https://quiet-river-1-lock.trycloudflare.com")
            async with httpx.AsyncClient(base_url=app.url) as client:
                assert (await client.post(f"{prefix}/hooks", content=b"a")).status_code == 200
                assert (await client.post("/hooks", content=b"b")).status_code == 404
                (start,) = started(log)
                control.start.click()  # Stop public
                await eventually(lambda: not alive(start["pid"]))  # type: ignore[arg-type]
                assert control.url.text() == ""
                assert control.start.text() == "Go public"
                assert (await client.post("/hooks", content=b"c")).status_code == 200

    run_async(scenario())


def test_summary_shows_the_tunnel_client_and_the_path_under_the_prefix(
    qapp: QApplication, tmp_path: Path
) -> None:
    from hookscope.core.store import Store
    from hookscope.ui.verdict_cache import VerdictCache
    from hookscope.ui.widgets.detail_pane import DetailPane
    from tests.core.factories import make_capture

    prefix = "/h/" + "3f" * 16
    capture = make_capture(
        target=f"{prefix}/hooks/stripe?x=1",
        headers=(("Host", "a.trycloudflare.com"), ("CF-Connecting-IP", "203.0.113.8")),
        remote="127.0.0.1:50512",
    )
    with Store.open(tmp_path / "c.db") as store:
        from hookscope.core.signature_settings import SignatureSettings

        pane = DetailPane(store, VerdictCache(store, SignatureSettings([])))
        pane._show_meta(capture)
        text = pane.summary.toPlainText()
    assert "203.0.113.8 (via tunnel, peer 127.0.0.1:50512)" in text
    assert "Public path\n/hooks/stripe (under the secret prefix /h/3f3f…)" in text
