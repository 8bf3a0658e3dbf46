"""A lazy JSON tree: a node's children are created only when it is expanded, and a large array
or object is filled in pages, so a 20 MB document opens as fast as a small one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from hookscope.core.bodywork import kind_of

__all__ = ["JsonTreeModel", "Node", "TreeModel", "json_path"]

PAGE = 1000
_Index = QModelIndex | QPersistentModelIndex
KEY, VALUE, KIND = range(3)
_PREVIEW = 200  # characters of a value shown in the tree; copy gives all of it


@dataclass(slots=True, eq=False)
class Node:
    key: str | int | None
    value: Any
    parent: Node | None
    row: int  # kept, so that parent() is O(1)
    children: list[Node] | None = None  # None until first expanded

    @property
    def is_container(self) -> bool:
        return isinstance(self.value, dict | list) and len(self.value) > 0

    def all_children_made(self) -> bool:
        return self.children is not None and len(self.children) >= len(self.value)


def preview(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "…"


class TreeNode(Protocol):
    @property
    def key(self) -> str | int | None: ...
    @property
    def parent(self) -> TreeNode | None: ...
    @property
    def row(self) -> int: ...
    @property
    def children(self) -> list[Any] | None: ...
    @property
    def is_container(self) -> bool: ...


def json_path(node: TreeNode) -> str:
    """`$.data.items[3].id`-style path of a node (brackets for keys that are not identifiers)."""
    parts: list[str] = []
    step: TreeNode | None = node
    while step is not None and step.parent is not None:
        key = step.key
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif isinstance(key, str) and key.isidentifier():
            parts.append(f".{key}")
        else:
            parts.append(f"[{json.dumps(key, ensure_ascii=False)}]")
        step = step.parent
    return "$" + "".join(reversed(parts))


N = TypeVar("N", bound=TreeNode)


class TreeModel(QAbstractItemModel, Generic[N]):
    """Key, value and kind columns over nodes that know their parent and row: what a tree of
    a document in memory (JsonTreeModel) and one kept in a worker process share. A subclass
    sets `root` and says what a node's value and kind columns show."""

    root: N

    def node(self, index: _Index) -> N:
        if not index.isValid():
            return self.root
        return cast(N, index.internalPointer())

    def index_of(self, node: N) -> QModelIndex:
        if node is self.root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(parent)
        if node.children is None or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def preview_of(self, node: N) -> str:
        raise NotImplementedError

    def kind_of_node(self, node: N) -> str:
        raise NotImplementedError

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == KEY:
                return str(node.key) if node.key is not None else ""
            return self.preview_of(node) if column == VALUE else self.kind_of_node(node)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == KEY:
            return json_path(node)
        return None

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self.node(index).parent
        if parent is None or parent.parent is None:  # the root has no row of its own
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        children = self.node(parent).children
        return len(children) if children is not None else 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 3

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        return self.node(parent).is_container

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Key", "Value", "Type")[section]
        return None


class JsonTreeModel(TreeModel[Node]):
    def __init__(self, document: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = Node(None, document, None, 0)
        self.created = 0  # nodes made so far (tests use it to prove laziness)
        if self.root.is_container:  # the top level's first page, so rowCount() stays pure
            self._make_children(self.root, PAGE)

    # -- helpers ------------------------------------------------------------------------

    def _make_children(self, node: Node, upto: int) -> list[Node]:
        made = node.children if node.children is not None else []
        start = len(made)
        value = node.value
        if isinstance(value, dict):
            keys = list(value.keys())[start:upto]
            made.extend(Node(k, value[k], node, start + i) for i, k in enumerate(keys))
        else:
            made.extend(
                Node(start + i, v, node, start + i) for i, v in enumerate(value[start:upto])
            )
        self.created += len(made) - start
        node.children = made
        return made

    # -- Qt model interface ---------------------------------------------------------------

    def canFetchMore(self, parent: _Index) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        return node.is_container and not node.all_children_made()

    def fetchMore(self, parent: _Index) -> None:
        node = self.node(parent)
        have = len(node.children) if node.children is not None else 0
        upto = min(len(node.value), have + PAGE)
        if upto <= have:
            return
        self.beginInsertRows(parent, have, upto - 1)
        self._make_children(node, upto)
        self.endInsertRows()

    def preview_of(self, node: Node) -> str:
        return preview(node.value)

    def kind_of_node(self, node: Node) -> str:
        return kind_of(node.value)

    def value_text(self, index: _Index) -> str:
        """The whole value of a node as JSON (for copy)."""
        value = self.node(index).value
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    def search(self, text: str, limit: int = 500) -> list[Node]:
        """Nodes whose key or scalar value contains `text` (case-insensitive), made as needed
        so the view can reveal them; stops after `limit` hits."""
        needle = text.lower()
        hits: list[Node] = []
        stack = [self.root]
        while stack and len(hits) < limit:
            node = stack.pop()
            if node.is_container:
                if not node.all_children_made():
                    self._materialize(node)
                stack.extend(reversed(cast(list[Node], node.children)))
            if node is not self.root and (
                needle in str(node.key).lower()
                or (not node.is_container and needle in preview(node.value).lower())
            ):
                hits.append(node)
        return hits

    def _materialize(self, node: Node) -> None:
        parent = self.index_of(node)
        have = len(node.children) if node.children is not None else 0
        self.beginInsertRows(parent, have, len(node.value) - 1)
        self._make_children(node, len(node.value))
        self.endInsertRows()
