from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hookscope.ui.models.pairs import PairsModel


def test_pairs_model_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = PairsModel()
    model.set_pairs([("X-Dup", "1"), ("x-dup", "2"), ("Content-Type", "application/json")])
    qtmodeltester.check(model)


def test_pairs_keep_order_repeats_and_copy_text() -> None:
    model = PairsModel(("Field", "Value"))
    model.set_pairs([("a", "1"), ("a", "2"), ("b", "")])
    assert model.rowCount() == 3
    assert model.data(model.index(1, 1)) == "2"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Field"
    assert model.headerData(2, Qt.Orientation.Vertical) == "3"
    assert model.as_text() == "a: 1\na: 2\nb: "
    assert model.as_text([2, 0]) == "b: \na: 1"
