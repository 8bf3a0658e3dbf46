"""Preparing a body for the viewer, and doing it for large bodies in a worker process.

Parsing a 24 MB JSON body holds the GIL for about a second, and the window's receiver, store
writer and event loop share that GIL: a worker *thread* is not enough. Bodies from
`LARGE_BODY` up are prepared in a separate process (`BodyWorker`), which keeps the parsed
document; the viewer gets only what it shows (clipped texts, and the tree one page at a time
as compact orjson bytes), so nothing big is unpickled on the GUI's side.

A newer `prepare` supersedes an older one still running (its caller gets `SupersededError`, its
result is never used); a worker that is busy on superseded work, or takes longer than
`PREPARE_TIMEOUT`, is replaced by a fresh process.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import count, islice
from typing import Any

import orjson

from hookscope.core.bodyview import (
    BodyInspection,
    hex_dump,
    inspect_body,
    parse_form,
    parse_json_document,
    parse_multipart,
    pretty_json,
)
from hookscope.core.child_processes import child_context

__all__ = [
    "HEX_LIMIT",
    "LARGE_BODY",
    "TEXT_LIMIT",
    "BodyWorker",
    "PreparedBody",
    "RemoteDocument",
    "SupersededError",
    "WorkerGoneError",
    "body_worker",
    "decode_children",
    "kind_of",
    "prepare_body",
    "prepare_large",
]

TEXT_LIMIT = 512 * 1024
HEX_LIMIT = 128 * 1024
LARGE_BODY = 1 << 20  # from here on a body is prepared in the worker process
PREPARE_TIMEOUT = 60.0  # a worker still busy after this is replaced
PAGE = 1000  # children sent per request
PREFETCH_BUDGET = 5_000  # grandchildren sent along, so an expand needs no round trip
_KEPT_DOCUMENTS = 2  # the request's and the response's body of the capture on show
# Memory-backed where there is one: a body handed to the worker never touches the disk.
_HANDOVER = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@dataclass
class RemoteDocument:
    """A parsed document kept in the worker process; the viewer asks for it page by page."""

    ticket: int
    kind: str  # "object {3}" / "array [400000]"
    count: int  # children of the root
    first: bytes  # encoded first page of the root's children (see `decode_children`)
    worker_pid: int


@dataclass
class PreparedBody:
    """Everything the views need, computed off the GUI thread."""

    inspection: BodyInspection
    document: Any = None
    pretty: str = ""
    raw: str = ""
    hex: str = ""
    form: list[tuple[str, str]] | None = None
    parts: list[tuple[str, str]] | None = None
    note: str = ""
    remote: RemoteDocument | None = None  # set instead of `document` for a large body
    # A large JSON body's pretty and hex texts, still being made in the worker after the tree
    # went back: Future[(pretty, hex)], set on the GUI's side (never pickled).
    later: Future[tuple[str, str]] | None = None


class SupersededError(Exception):
    """A newer request took this one's place; its result is not wanted."""


class WorkerGoneError(Exception):
    """The worker no longer has the document (replaced, or the document was evicted)."""


def prepare_body(
    body: bytes, content_type: str, content_encoding: str, *, texts_later: bool = False
) -> PreparedBody:
    """What the views need. `texts_later`: a JSON document's pretty and hex texts are left
    empty, for `texts` to make once the tree is on show."""
    inspection = inspect_body(body, content_type, content_encoding)
    shown = inspection.shown
    notes = [inspection.encoding_note] if inspection.encoding_note else []
    prepared = PreparedBody(inspection)
    clipped = shown[:TEXT_LIMIT]
    if len(shown) > TEXT_LIMIT:
        notes.append(
            f"text views show the first {TEXT_LIMIT // 1024} KB of "
            f"{len(shown) / (1024 * 1024):.1f} MB; save the body to see all of it"
        )
    prepared.raw = clipped.decode(inspection.charset, "replace") if clipped else ""
    if inspection.kind == "json":
        try:  # inspect_body has checked the depth: parse without scanning the bytes again
            prepared.document = parse_json_document(shown, depth_checked=True)
        except ValueError:  # it only looked like JSON
            inspection.kind, inspection.views = "text", ["raw", "hex"]
        if prepared.document is not None and texts_later:
            pass
        elif prepared.document is not None and len(shown) <= TEXT_LIMIT:
            prepared.pretty = pretty_json(shown)
        elif prepared.document is not None:  # the start of the document, indented
            indented = orjson.dumps(prepared.document, option=orjson.OPT_INDENT_2)
            prepared.pretty = indented[:TEXT_LIMIT].decode("utf-8", "replace")
    elif inspection.kind == "form":
        prepared.form = parse_form(shown)
    elif inspection.kind == "multipart":
        try:
            prepared.parts = [
                (
                    part.name,
                    f"{part.filename or ''}  [{part.content_type}, {len(part.value):,} bytes]  "
                    + part.value[:200].decode("utf-8", "replace"),
                )
                for part in parse_multipart(shown, content_type)
            ]
        except ValueError as exc:
            notes.append(f"not readable as multipart: {exc}")
            inspection.views = ["raw", "hex"]
    if not (texts_later and prepared.document is not None):
        prepared.hex = hex_dump(shown, limit=HEX_LIMIT)
    prepared.note = "  •  ".join(notes)
    return prepared


# -- what runs in the worker process ----------------------------------------------------

_documents: OrderedDict[int, Any] = OrderedDict()
_shown: dict[int, bytes] = {}


def prepare_large(
    ticket: int, body: bytes, content_type: str, content_encoding: str
) -> PreparedBody:
    """`prepare_body` in the worker: the document stays here, and what goes back is small
    (the shown bytes are dropped, the texts are clipped, the tree is its first page)."""
    prepared = prepare_body(body, content_type, content_encoding, texts_later=True)
    shown = prepared.inspection.shown
    prepared.inspection = replace(prepared.inspection, shown=b"")
    document, prepared.document = prepared.document, None
    if document is not None:
        _documents[ticket] = document
        _shown[ticket] = shown  # until `texts` has made the hex dump
        while len(_documents) > _KEPT_DOCUMENTS:
            evicted = next(iter(_documents))
            _shown.pop(evicted, None)
            _discard(_documents.pop(evicted))  # no local name: the thread frees it
        # Millions of containers the cyclic collector would scan at every full collection
        # (seconds, during some later page request); JSON values free by refcount alone.
        gc.freeze()
        prepared.remote = RemoteDocument(
            ticket,
            kind_of(document),
            _count(document),
            _children(document, 0, PAGE, PREFETCH_BUDGET),
            os.getpid(),
        )
    return prepared


def texts(ticket: int) -> tuple[str, str]:
    """The pretty (indented, clipped) and hex texts of a document `prepare_large` kept."""
    document = _node(ticket, [])
    shown = _shown.pop(ticket, b"")
    indented = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    return indented[:TEXT_LIMIT].decode("utf-8", "replace"), hex_dump(shown, limit=HEX_LIMIT)


_trash: queue.SimpleQueue[Any] | None = None


def _discard(document: Any) -> None:
    """Free an old document on a thread of its own: millions of objects take ~0.2 s to free,
    time the answer for the new body should not wait for."""
    global _trash
    if _trash is None:
        _trash = queue.SimpleQueue()
        threading.Thread(target=_empty_trash, args=(_trash,), daemon=True).start()
    _trash.put(document)


def _empty_trash(trash: queue.SimpleQueue[Any]) -> None:
    while True:
        document = trash.get()
        del document


def prepare_large_file(
    ticket: int, path: str, content_type: str, content_encoding: str
) -> PreparedBody:
    """`prepare_large` for a body handed over in a file (see `BodyWorker.prepare`)."""
    with open(path, "rb") as file:
        body = file.read()
    return prepare_large(ticket, body, content_type, content_encoding)


def _node(ticket: int, path: list[str | int]) -> Any:
    try:
        value = _documents[ticket]
    except KeyError:
        raise WorkerGoneError("the document is no longer in the worker") from None
    for step in path:
        value = value[step]
    return value


def children(
    ticket: int, path: list[str | int], start: int, stop: int, prefetch: bool = True
) -> bytes:
    """Children `start:stop` of the node at `path`, with a page of their own children
    (`prefetch`) while the budget lasts."""
    return _children(_node(ticket, path), start, stop, PREFETCH_BUDGET if prefetch else 0)


def value_text(ticket: int, path: list[str | int]) -> str:
    value = _node(ticket, path)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2)


def search(ticket: int, text: str, limit: int) -> list[list[str | int]]:
    """Paths of nodes whose key or scalar value contains `text` (case-insensitive), in
    document order, at most `limit`. One iterator per open container and no path per node:
    a 24 MB document has millions of nodes."""
    needle = text.lower()
    hits: list[list[str | int]] = []
    path: list[str | int] = []
    stack = [_entries(_node(ticket, []))]
    while stack and len(hits) < limit:
        for key, value in stack[-1]:
            container = isinstance(value, dict | list)
            if needle in str(key).lower() or (
                not container and needle in _scalar_text(value).lower()
            ):
                hits.append([*path, key])
                if len(hits) >= limit:
                    break
            if container and value:
                path.append(key)
                stack.append(_entries(value))
                break
        else:
            stack.pop()
            if path:
                path.pop()
    return hits


def _entries(value: Any) -> Iterator[tuple[Any, Any]]:
    return iter(value.items()) if isinstance(value, dict) else enumerate(value)


def _scalar_text(value: Any) -> str:
    """A scalar as JSON writes it (what the tree shows), without json.dumps per value."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)  # int and float: the same digits json.dumps writes


def kind_of(value: Any) -> str:
    """What the tree's Kind column says of a value (`object {3}`, `array [2]`, `number`…)."""
    if isinstance(value, dict):
        return f"object {{{len(value)}}}"
    if isinstance(value, list):
        return f"array [{len(value)}]"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "number"
    return "string"


def _count(value: Any) -> int:
    return len(value) if isinstance(value, dict | list) else 0


_PREVIEW = 200


def _preview(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    if isinstance(value, str) and len(value) > _PREVIEW:
        value = value[: _PREVIEW + 1]  # no need to encode all of a long string
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "…"


def _children(value: Any, start: int, stop: int, budget: int) -> bytes:
    """[[key, kind, preview, count, grandchildren | null], ...] as orjson bytes; each
    container child carries its first page of children while `budget` lasts."""
    if isinstance(value, dict):  # islice: a page of a huge object without copying it all
        pairs: list[tuple[Any, Any]] = list(islice(value.items(), start, stop))
    else:
        pairs = list(enumerate(value[start:stop], start))
    rows: list[list[Any]] = []
    for key, child in pairs:
        inner = None
        if budget > 0 and isinstance(child, dict | list) and child:
            page = (
                islice(child.items(), PAGE) if isinstance(child, dict) else enumerate(child[:PAGE])
            )
            inner = [[k, kind_of(v), _preview(v), _count(v), None] for k, v in page]
            budget -= len(inner)
        rows.append([key, kind_of(child), _preview(child), _count(child), inner])
    return orjson.dumps(rows)


def decode_children(data: bytes) -> list[list[Any]]:
    """The rows `children` sent: [key, kind, preview, count, grandchildren | None]."""
    rows: list[list[Any]] = orjson.loads(data)
    return rows


# -- the GUI's side ---------------------------------------------------------------------


@contextmanager
def _handover(body: bytes) -> Iterator[str]:
    """A temporary file holding `body`, in memory if /dev/shm has room, else on disk."""
    for folder in dict.fromkeys([_HANDOVER, None]):
        file = tempfile.NamedTemporaryFile(prefix="hookscope-body-", dir=folder)  # noqa: SIM115
        with file:
            try:
                file.write(body)
                file.flush()
            except OSError:  # /dev/shm is small in containers
                if folder is None:
                    raise
                continue
            yield file.name
            return


class BodyWorker:
    """One worker process, started on first use (forkserver: nothing of the GUI's state
    is copied into it), replaced when it is stuck on work nobody wants any more."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._preparing: Future[PreparedBody] | None = None
        self._tickets = count(1)
        self._warming = False

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=child_context())
        return self._pool

    def _replace(self) -> None:
        """Stop the current process (whatever it is doing) and start afresh on next use."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # shutdown alone would wait for the running job
            process.kill()

    def prepare(self, body: bytes, content_type: str, content_encoding: str) -> PreparedBody:
        """Prepare a large body in the worker; blocks the calling (non-GUI) thread. Raises
        SupersededError if a newer `prepare` arrives first."""
        # The body goes over in a file, written with the GIL released: pickling it into the
        # pipe would copy 24 MB holding the GIL the event loop needs.
        with _handover(body) as path:
            prepared = self._prepare(path, content_type, content_encoding)
        if prepared.remote is not None:  # the tree first; its texts come right after
            with self._lock:
                if self._pool is not None:
                    prepared.later = self._pool.submit(texts, prepared.remote.ticket)
        return prepared

    def _prepare(self, path: str, content_type: str, content_encoding: str) -> PreparedBody:
        with self._lock:
            previous = self._preparing
            if previous is not None and not previous.done() and not previous.cancel():
                self._replace()  # busy on a body nobody is waiting for any more
            future = self._executor().submit(
                prepare_large_file, next(self._tickets), path, content_type, content_encoding
            )
            self._preparing = future
        try:
            return future.result(timeout=PREPARE_TIMEOUT)
        except FutureTimeout:
            with self._lock:
                if self._preparing is future:
                    self._replace()
            raise SupersededError("the body took too long to prepare") from None
        except (CancelledError, BrokenProcessPool):
            raise SupersededError("a newer body took this one's place") from None

    def warm(self) -> None:
        """Start the process in the background, so the first large body does not wait for
        its start-up (~0.5 s); called once a body is on show, not at launch. Returns at once:
        even creating the executor takes the caller a moment."""
        with self._lock:
            if self._pool is not None or self._warming:
                return
            self._warming = True
        threading.Thread(target=self._warm, name="hookscope-body-worker", daemon=True).start()

    def _warm(self) -> None:
        try:
            with self._lock:
                pool = self._executor()
            pool.submit(os.getpid).result(timeout=PREPARE_TIMEOUT)
        except Exception:  # replaced or shut down meanwhile: the next prepare starts one
            return
        finally:
            self._warming = False

    def call(self, fn: Any, *args: Any, timeout: float = 2.0) -> Any:
        """Run one of this module's document functions in the worker (children,
        value_text, search). Raises WorkerGoneError if the document is not there any more, and
        TimeoutError if the worker is busy for longer than `timeout`."""
        with self._lock:
            pool = self._pool
            if pool is None:
                raise WorkerGoneError("no worker")
            try:
                future = pool.submit(fn, *args)
            except RuntimeError:  # shut down meanwhile
                raise WorkerGoneError("the worker was replaced") from None
        try:
            return future.result(timeout=timeout)
        except (CancelledError, BrokenProcessPool):
            raise WorkerGoneError("the worker was replaced") from None

    def shutdown(self) -> None:
        with self._lock:
            self._replace()


body_worker = BodyWorker()
