"""Wrapping: header values wrap by default, raw bodies do not, hex never; the choice is kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QTableView

from hookscope.core.signature_settings import SignatureSettings
from hookscope.core.store import Store
from hookscope.ui.verdict_cache import VerdictCache
from hookscope.ui.widgets.body_view import BodyView, prepare_body
from hookscope.ui.widgets.detail_pane import DetailPane

NO_WRAP = QPlainTextEdit.LineWrapMode.NoWrap
WRAP = QPlainTextEdit.LineWrapMode.WidgetWidth


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "c.db")
    yield opened
    opened.close()


def body_view(qtbot: Any) -> BodyView:
    view = BodyView()
    qtbot.addWidget(view)
    view.show_body(prepare_body(b'{"a": "' + b"x" * 400 + b'"}', "application/json", ""), 410)
    return view


def test_raw_bodies_do_not_wrap_until_asked_and_the_choice_is_kept(qtbot: Any) -> None:
    view = body_view(qtbot)
    assert view.wrap.isChecked() is False
    assert view.raw.lineWrapMode() == NO_WRAP
    view.select_view("raw")
    assert view.wrap.isVisible() or not view.isVisible()
    view.wrap.setChecked(True)
    assert view.raw.lineWrapMode() == WRAP
    assert view.pretty.lineWrapMode() == WRAP
    assert view.hex.lineWrapMode() == NO_WRAP  # a hex dump's columns only make sense unwrapped
    later = body_view(qtbot)  # e.g. the Response tab's viewer, or the next start
    assert later.wrap.isChecked() is True
    assert later.raw.lineWrapMode() == WRAP


def test_header_values_wrap_by_default_and_the_choice_is_kept(qtbot: Any, store: Store) -> None:
    def pane() -> DetailPane:
        made = DetailPane(store, VerdictCache(store, SignatureSettings([], Path("/none"))))
        qtbot.addWidget(made)
        return made

    first = pane()
    table = first.headers_page.findChild(QTableView)
    assert table is not None
    assert first.headers_wrap.isChecked() is True
    assert table.wordWrap() is True
    first.headers_wrap.setChecked(False)
    assert table.wordWrap() is False
    second = pane()
    assert second.headers_wrap.isChecked() is False
    second_table = second.headers_page.findChild(QTableView)
    assert second_table is not None
    assert second_table.wordWrap() is False
