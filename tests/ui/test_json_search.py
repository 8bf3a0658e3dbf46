"""The JSON tree's search: next and previous, as you type on small bodies, on Enter on big ones."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from PySide6.QtCore import Qt

from hookscope.ui.models.json_tree import json_path
from hookscope.ui.widgets.body_view import SEARCH_AS_YOU_TYPE_LIMIT, BodyView, prepare_body
from tests.ui.conftest import RunAsync, eventually

DOCUMENT = {"items": [{"id": i, "sku": f"SKU-{i}"} for i in range(3)], "total": 3}


def shown(qtbot: Any, document: object) -> BodyView:
    view = BodyView()
    qtbot.addWidget(view)
    body = json.dumps(document).encode()
    view.show_body(prepare_body(body, "application/json", ""), len(body))
    view.show()
    return view


def current_path(view: BodyView) -> str:
    assert view.tree_model is not None
    index = view.tree.currentIndex()
    return json_path(view.tree_model.node(index)) if index.isValid() else ""


def test_enter_f3_and_their_shifts_walk_the_matches(qtbot: Any) -> None:
    view = shown(qtbot, DOCUMENT)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "sku-")  # small body: found while typing
    assert current_path(view) == "$.items[0].sku"
    assert "1 of 3" in view.search_status.text()
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert current_path(view) == "$.items[1].sku"
    qtbot.keyClick(view.search, Qt.Key.Key_F3)
    assert current_path(view) == "$.items[2].sku"
    assert "3 of 3" in view.search_status.text()
    qtbot.keyClick(view.search, Qt.Key.Key_F3)  # wraps round
    assert current_path(view) == "$.items[0].sku"
    qtbot.keyClick(view.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert current_path(view) == "$.items[2].sku"
    qtbot.keyClick(view.search, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert current_path(view) == "$.items[1].sku"
    view.search_next.click()
    assert current_path(view) == "$.items[2].sku"
    view.search_previous.click()
    assert current_path(view) == "$.items[1].sku"


def test_a_big_body_searches_on_enter_only(qtbot: Any, run_async: RunAsync) -> None:
    filler = "x" * 1000
    big = {"pad": [filler] * (SEARCH_AS_YOU_TYPE_LIMIT // 1000 + 10), "needle": 1}

    async def scenario() -> None:
        view = shown(qtbot, big)
        view.search.setFocus()
        qtbot.keyClicks(view.search, "needle")
        await asyncio.sleep(0.3)
        assert current_path(view) == ""  # typing alone does not walk a megabyte
        qtbot.keyClick(view.search, Qt.Key.Key_Return)  # the worker process walks it
        await eventually(lambda: current_path(view) == "$.needle", within=30)
        assert view.search_status.text() == "1 of 1"

    run_async(scenario())
