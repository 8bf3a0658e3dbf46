from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QTreeView

from hookscope.ui.models.json_tree import PAGE, JsonTreeModel, json_path

DOCUMENT = {
    "type": "order_created",
    "data": {"items": [{"id": i, "sku": f"SKU-{i}"} for i in range(5)], "odd key": True},
    "amount": 4200,
}


def test_json_tree_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = JsonTreeModel(DOCUMENT)
    qtmodeltester.check(model)


def test_children_are_built_only_on_expand(qtbot: Any) -> None:
    big = {"items": [{"n": i, "deep": {"x": [i] * 10}} for i in range(50_000)], "meta": 1}
    model = JsonTreeModel(big)
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    assert model.rowCount() == 2
    assert model.created == 2  # only the top level exists
    items = model.index(0, 0)
    assert model.hasChildren(items)
    view.expand(items)
    if model.canFetchMore(items):
        model.fetchMore(items)
    assert model.rowCount(items) == PAGE  # a page, not 50 000 nodes
    assert model.created == 2 + PAGE
    assert model.canFetchMore(items)
    model.fetchMore(items)
    assert model.rowCount(items) == 2 * PAGE


def test_paths_values_and_search() -> None:
    model = JsonTreeModel(DOCUMENT)
    data = model.index(1, 0)
    model.fetchMore(data)
    items = model.index(0, 0, data)
    model.fetchMore(items)
    third = model.index(3, 0, items)
    model.fetchMore(third)
    sku = model.index(1, 0, third)
    assert json_path(model.node(sku)) == "$.data.items[3].sku"
    assert model.data(model.index(1, 1, third)) == '"SKU-3"'
    assert model.value_text(model.index(1, 0, third)) == "SKU-3"
    odd = model.index(1, 0, data)
    assert json_path(model.node(odd)) == '$.data["odd key"]'
    hits = model.search("sku-4")
    assert [json_path(h) for h in hits] == ["$.data.items[4].sku"]
    assert model.parent(QModelIndex()) == QModelIndex()


def test_scalar_document() -> None:
    model = JsonTreeModel(42)
    assert model.rowCount() == 0
    assert not model.hasChildren()
