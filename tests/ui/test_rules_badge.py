"""Fault rules are never silently live: a header badge says how many answer, edits that are not
applied yet are marked, and saved rules come back on at start only if they were on at quit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.rules import Rule, save_rules
from hookscope.ui.rules_panel import default_rules_path
from tests.ui.conftest import RunAsync, RunningApp, eventually

FLAKY = Rule("flaky", path="/flaky", status=503)
SLOW = Rule("slow", path="/slow", status=504)


def test_badge_counts_live_rules_and_opens_the_tab(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            badge = window.header.rules_badge
            panel = window.rules_panel
            assert badge.isHidden()
            panel.add_rule()
            panel.path_edit.setText("/flaky")
            # Not live until applied, and marked so.
            assert not panel.pending.isHidden()
            assert "not applied" in panel.list.item(0).text()
            response = await asyncio.to_thread(httpx.post, app.url + "/flaky", content=b"1")
            assert response.status_code == 200
            assert badge.isHidden()
            assert panel.apply()
            assert panel.pending.isHidden()
            assert "not applied" not in panel.list.item(0).text()
            assert not badge.isHidden()
            assert badge.text() == "⚠ 1 fault rule active"
            badge.click()
            assert window.pages.currentWidget() is panel
            panel.turn_off()
            assert badge.isHidden()
            response = await asyncio.to_thread(httpx.post, app.url + "/flaky", content=b"1")
            assert response.status_code == 200

    run_async(scenario())


def test_saved_rules_come_back_on_only_if_left_on(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    default_rules_path().parent.mkdir(parents=True, exist_ok=True)
    save_rules(default_rules_path(), [FLAKY, SLOW])

    async def first_start() -> None:  # saved by `listen` or an earlier run, never turned on
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            assert window.header.rules_badge.isHidden()
            assert window.rules_panel.list.count() == 2  # there to turn on, not answering
            response = await asyncio.to_thread(httpx.post, app.url + "/flaky", content=b"1")
            assert response.status_code == 200
            assert window.rules_panel.apply()

    async def second_start() -> None:  # they were on at quit: on again, and the badge says so
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            badge = window.header.rules_badge
            assert not badge.isHidden()
            assert badge.text() == "⚠ 2 fault rules active (on since last time)"
            response = await asyncio.to_thread(httpx.post, app.url + "/flaky", content=b"1")
            assert response.status_code == 503
            window.rules_panel.turn_off()
            await eventually(lambda: badge.isHidden())

    async def third_start() -> None:  # turned off at quit: stays off
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            assert window.header.rules_badge.isHidden()
            response = await asyncio.to_thread(httpx.post, app.url + "/flaky", content=b"1")
            assert response.status_code == 200

    run_async(first_start())
    run_async(second_start())
    run_async(third_start())
