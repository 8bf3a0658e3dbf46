"""Fault rules edited in the app apply to the running receiver and are saved for listen."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.rules import Action, Rule, RuleSet, load_rules
from hookscope.ui.rules_panel import RulesPanel, default_rules_path
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_rules_apply_live_and_are_saved(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            panel = window.rules_panel
            panel.add_rule()  # a new rule: 503 for the first 2 requests under /*
            panel.path_edit.setText("/flaky/*")
            panel.headers.setPlainText("Retry-After: 7")
            assert panel.apply()
            statuses = []
            for _ in range(3):
                response = await asyncio.to_thread(httpx.post, app.url + "/flaky/x", content=b"1")
                statuses.append((response.status_code, response.headers.get("Retry-After")))
            assert statuses == [(503, "7"), (503, "7"), (200, None)]
            other = await asyncio.to_thread(httpx.post, app.url + "/other", content=b"1")
            assert other.status_code == 200
            await eventually(lambda: window.store.count() == 4)
            assert window.store.get(1).rule == "rule 1"  # type: ignore[union-attr]
            saved = load_rules(default_rules_path())
            assert [(r.name, r.path, r.status, r.first) for r in saved] == [
                ("rule 1", "/flaky/*", 503, 2)
            ]

    run_async(scenario())


def test_form_errors_name_the_field(qtbot: Any, tmp_path: Path) -> None:
    panel = RulesPanel(RuleSet(), tmp_path / "rules.json")
    qtbot.addWidget(panel)
    panel.add_rule()
    panel.path_edit.setText("no-slash")
    assert not panel.apply()
    assert panel.error.text().startswith("path: a path pattern starts with '/'")
    panel.path_edit.setText("/ok")
    panel.headers.setPlainText("not a header")
    assert not panel.apply()
    assert panel.error.text() == "headers: line 1 is not 'Name: value'"
    assert not (tmp_path / "rules.json").exists()


def test_hold_and_reset_rules_round_trip_through_the_form(qtbot: Any, tmp_path: Path) -> None:
    rules = RuleSet(
        [
            Rule("slow", path="/slow", action=Action.HOLD, hold_s=30),
            Rule("cut", path="/cut", methods=("POST",), action=Action.RESET, delay_s=0.5),
        ]
    )
    panel = RulesPanel(rules, tmp_path / "rules.json")
    qtbot.addWidget(panel)
    panel.list.setCurrentRow(1)
    assert panel.rule_from_form() == rules.rules[1]
    panel.move_rule(-1)
    assert [r.name for r in panel.rules] == ["cut", "slow"]
    assert panel.apply()
    assert [r.name for r in rules.rules] == ["cut", "slow"]
    assert "reset the connection after 0.5 s" in panel.list.item(0).text()


def test_fields_follow_the_action(qtbot: Any, tmp_path: Path) -> None:
    panel = RulesPanel(RuleSet([Rule("slow", action=Action.HOLD, hold_s=5)]), tmp_path / "r.json")
    qtbot.addWidget(panel)
    assert panel.hold.isEnabled()
    assert not panel.status.isEnabled()
    assert not panel.delay.isEnabled()
    panel.action.setCurrentIndex(panel.action.findData("respond"))
    assert not panel.hold.isEnabled()
    assert panel.status.isEnabled()
    assert panel.body.isEnabled()
