"""A long text view is laid out a chunk per turn of the event loop, and the chunks add up to
exactly the text; a body shown meanwhile never gets the old body's remaining chunks."""

from __future__ import annotations

import asyncio
import json

from PySide6.QtWidgets import QApplication

from hookscope.ui.widgets.body_view import BodyView, PreparedBody, prepare_body
from tests.ui.conftest import RunAsync, eventually


def prepared(marker: str, keys: int = 12_000) -> PreparedBody:
    body = json.dumps({f"{marker}{i}": [i, "é"] for i in range(keys)}).encode()
    result = prepare_body(body, "application/json", "")
    assert len(result.pretty) > 200_000
    return result


def test_a_long_pretty_text_is_laid_out_in_chunks_that_add_up(
    qapp: QApplication, run_async: RunAsync
) -> None:
    async def scenario() -> None:
        view = BodyView()
        body = prepared("key")
        view.show_body(body, 1)
        assert view.select_view("pretty")
        shown = view.pretty.toPlainText()
        assert 0 < len(shown) < len(body.pretty)  # the first chunk only, so far
        assert body.pretty.startswith(shown)
        await eventually(lambda: view.pretty.toPlainText() == body.pretty)
        # raw is one long line: cut anywhere, still exact; text_of completes it at once
        assert view.text_of("raw") == body.raw
        view.deleteLater()

    run_async(scenario())


def test_another_body_never_gets_the_old_bodys_remaining_chunks(
    qapp: QApplication, run_async: RunAsync
) -> None:
    async def scenario() -> None:
        view = BodyView()
        old, new = prepared("old"), prepared("new", keys=9_000)
        view.show_body(old, 1)
        view.select_view("pretty")
        view.show_body(new, 1)
        view.select_view("pretty")
        await eventually(lambda: view.pretty.toPlainText() == new.pretty)
        await asyncio.sleep(0.3)
        assert view.pretty.toPlainText() == new.pretty
        assert "old1" not in view.text_of("pretty")
        view.deleteLater()

    run_async(scenario())
