"""The JSON tree of a large body whose document lives in the worker process.

Rows arrive a page at a time as compact bytes (`core.bodywork.children`), each container row
with a first page of its own children, so expanding a node rarely waits for the worker; when
it must, the wait is one small round trip, not a parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex

from hookscope.core import bodywork
from hookscope.core.bodywork import RemoteDocument, WorkerGoneError, body_worker, decode_children
from hookscope.ui.asyncqt import in_thread, spawn
from hookscope.ui.models.json_tree import TreeModel

__all__ = ["RemoteNode", "RemoteTreeModel"]

_Index = QModelIndex | QPersistentModelIndex
KEY, VALUE, KIND = range(3)
_FETCH_TIMEOUT = 10.0  # a worker busy longer: leave the rows for the next expand or scroll
SEARCH_TIMEOUT = 120.0


@dataclass(slots=True, eq=False)
class RemoteNode:
    key: str | int | None
    kind: str
    preview: str
    count: int  # children in the document
    parent: RemoteNode | None
    row: int
    children: list[RemoteNode] | None = None  # the rows made so far

    @property
    def is_container(self) -> bool:
        return self.count > 0

    def path(self) -> list[str | int]:
        steps: list[str | int] = []
        node: RemoteNode | None = self
        while node is not None and node.parent is not None:
            steps.append(cast(str | int, node.key))
            node = node.parent
        return steps[::-1]


class RemoteTreeModel(TreeModel[RemoteNode]):
    """The same rows and columns as JsonTreeModel, for a document kept elsewhere."""

    def __init__(self, remote: RemoteDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.remote = remote
        self.root = RemoteNode(None, remote.kind, "", remote.count, None, 0)
        self._fetching: set[RemoteNode] = set()  # nodes with a page on its way
        self._add(self.root, decode_children(remote.first))

    def _add(self, node: RemoteNode, rows: list[list[Any]]) -> None:
        made = node.children if node.children is not None else []
        for key, kind, preview, count, inner in rows:
            child = RemoteNode(key, kind, preview, count, node, len(made))
            made.append(child)
            if inner is not None:
                self._add(child, inner)
        node.children = made

    # -- Qt model interface ---------------------------------------------------------------

    def canFetchMore(self, parent: _Index) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self.node(parent)
        return len(node.children or ()) < node.count

    def fetchMore(self, parent: _Index) -> None:
        """Ask the worker for the next page and return at once: the rows are inserted when
        it answers (the worker may be busy a moment, with the texts of this very body)."""
        node = self.node(parent)
        if node not in self._fetching:
            self._fetching.add(node)
            spawn(self._fetch(node), name="fetch rows of a large body")

    async def _fetch(self, node: RemoteNode) -> None:
        try:
            start, data = await in_thread(self._page, node, _FETCH_TIMEOUT)
        except (WorkerGoneError, TimeoutError):
            return  # asked again on the next expand or scroll
        finally:
            self._fetching.discard(node)
        self.add_page(node, start, data)

    def _page(self, node: RemoteNode, timeout: float, prefetch: bool = True) -> tuple[int, bytes]:
        """(first row, encoded rows) of the page after the rows `node` has."""
        have = len(node.children or ())
        data: bytes = body_worker.call(
            bodywork.children,
            self.remote.ticket,
            node.path(),
            have,
            have + bodywork.PAGE,
            prefetch,
            timeout=timeout,
        )
        return have, data

    def add_page(self, node: RemoteNode, start: int, data: bytes) -> None:
        rows = decode_children(data)
        have = len(node.children or ())
        if not rows or start != have:  # rows added meanwhile: this page is stale
            return
        self.beginInsertRows(self.index_of(node), have, have + len(rows) - 1)
        self._add(node, rows)
        self.endInsertRows()

    def preview_of(self, node: RemoteNode) -> str:
        return node.preview

    def kind_of_node(self, node: RemoteNode) -> str:
        return node.kind

    # -- what the view's buttons ask for ----------------------------------------------------

    def value_text(self, index: _Index) -> str:
        """The whole value of a node as JSON (for copy), from the worker."""
        try:
            text: str = body_worker.call(
                bodywork.value_text, self.remote.ticket, self.node(index).path(), timeout=10.0
            )
        except (WorkerGoneError, TimeoutError):
            return ""
        return text

    async def search_paths(self, text: str, limit: int = 500) -> list[list[str | int]]:
        """Paths of the nodes whose key or scalar value contains `text`, found by the worker
        walking the document; `reveal` makes the rows of the ones the view goes to."""
        paths: list[list[str | int]] = await in_thread(
            body_worker.call,
            bodywork.search,
            self.remote.ticket,
            text,
            limit,
            timeout=SEARCH_TIMEOUT,
        )
        return paths

    async def reveal(self, path: list[str | int]) -> RemoteNode | None:
        """The node at `path`, its ancestors' rows fetched as far as needed."""
        node = self.root
        for step in path:
            while True:
                made = node.children or []
                if isinstance(step, int):  # an array's index is its row
                    found = made[step] if step < len(made) else None
                else:
                    found = next((c for c in made if c.key == step), None)
                if found is not None:
                    break
                if len(node.children or ()) >= node.count:
                    return None
                # Pages on the way to a far row carry no grandchildren: only its own page does.
                near = isinstance(step, str) or step < len(made) + bodywork.PAGE
                start, data = await in_thread(self._page, node, SEARCH_TIMEOUT, near)
                self.add_page(node, start, data)
            node = found
        return node
