"""The Captures → Response tab shows the answer the sender got: status line, headers, body."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.rules import Rule
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_a_fault_rules_answer_is_shown_as_sent(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            rules = window.session.responder.rules
            assert rules is not None
            rules.replace(
                [
                    Rule(
                        "flaky",
                        path="/flaky",
                        status=503,
                        headers=(("Retry-After", "30"), ("Content-Type", "application/json")),
                        body=b'{"error":"try later"}',
                    )
                ]
            )
            sent = await asyncio.to_thread(httpx.post, app.url + "/flaky", content=b"{}")
            assert sent.status_code == 503
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(window.model.summary(0).id)
            detail = window.detail
            await eventually(lambda: detail.response_body.current_view() == "tree")
            line = detail.response_status.text()
            assert line.startswith("503 Service Unavailable · ")
            assert line.endswith('by rule "flaky"')
            shown = [name for name, _ in detail.response_headers_model.pairs]
            assert shown == [name.decode() for name, _ in sent.headers.raw]
            values = dict(detail.response_headers_model.pairs)
            assert values["Content-Length"] == str(len(b'{"error":"try later"}'))
            assert values["Server"] == sent.headers["Server"]
            assert detail.response_body.text_of("raw") == '{"error":"try later"}'

    run_async(scenario())
