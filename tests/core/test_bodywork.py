"""Large bodies prepared in the worker process: the document stays there, the viewer gets
pages; a newer body supersedes an older one still being prepared."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator

import orjson
import pytest

from hookscope.core import bodywork
from hookscope.core.bodywork import (
    BodyWorker,
    SupersededError,
    WorkerGoneError,
    decode_children,
    prepare_body,
)


def big_json(items: int, marker: str = "orders") -> bytes:
    rows = [{"id": i, "sku": f"SKU-{i}", "tags": ["a", "b"]} for i in range(items)]
    return orjson.dumps({marker: rows, "last_key_here": True})


@pytest.fixture
def worker() -> Iterator[BodyWorker]:
    w = BodyWorker()
    yield w
    w.shutdown()


def test_a_large_body_is_prepared_in_another_process_and_stays_there(worker: BodyWorker) -> None:
    body = big_json(30_000)
    assert len(body) > bodywork.LARGE_BODY
    prepared = worker.prepare(body, "application/json", "")
    remote = prepared.remote
    assert remote is not None
    assert remote.worker_pid != os.getpid()
    assert prepared.document is None  # the document is not sent back
    assert prepared.inspection.shown == b""  # nor are the body's bytes
    assert prepared.inspection.views == ["tree", "pretty", "raw", "hex"]
    assert (prepared.pretty, prepared.hex) == ("", "")  # made right after the tree:
    assert prepared.later is not None
    pretty, hex_text = prepared.later.result(timeout=60)
    assert pretty.startswith('{\n  "orders": [')
    assert len(pretty) == bodywork.TEXT_LIMIT
    assert hex_text.startswith(
        '00000000  7b 22 6f 72 64 65 72 73  22 3a 5b 7b 22 69 64 22  |{"orders":[{"id"|'
    )
    assert hex_text.endswith(
        f"… {len(body) - bodywork.HEX_LIMIT:,} more bytes (save the body to see them all)"
    )
    assert len(prepared.raw) == bodywork.TEXT_LIMIT
    assert (remote.kind, remote.count) == ("object {2}", 2)
    orders, last = decode_children(remote.first)
    assert orders[:4] == ["orders", "array [30000]", "", 30_000]
    assert len(orders[4]) == bodywork.PAGE  # a first page of the array comes along
    assert orders[4][7] == [7, "object {3}", "", 3, None]
    assert last == ["last_key_here", "boolean", "true", 0, None]
    leftovers = [
        name
        for folder in {"/dev/shm", tempfile.gettempdir()}
        if os.path.isdir(folder)
        for name in os.listdir(folder)
        if name.startswith("hookscope-body-")
    ]
    assert leftovers == []  # the file that carried the body over is gone


def test_the_viewer_asks_the_worker_for_pages_values_and_searches(worker: BodyWorker) -> None:
    remote = worker.prepare(big_json(30_000), "application/json", "").remote
    assert remote is not None
    page = decode_children(
        worker.call(bodywork.children, remote.ticket, ["orders"], 29_000, 31_000)
    )
    assert [row[0] for row in page] == list(range(29_000, 30_000))
    assert page[-1][4][1] == ["sku", "string", '"SKU-29999"', 0, None]
    value = worker.call(bodywork.value_text, remote.ticket, ["orders", 12])
    assert orjson.loads(value) == {"id": 12, "sku": "SKU-12", "tags": ["a", "b"]}
    assert worker.call(bodywork.value_text, remote.ticket, ["orders", 12, "sku"]) == "SKU-12"
    hits = worker.call(bodywork.search, remote.ticket, "sku-2999", 200, timeout=60)
    assert hits[:2] == [["orders", 2999, "sku"], ["orders", 29990, "sku"]]
    assert len(hits) == 11
    assert worker.call(bodywork.search, remote.ticket, "LAST_KEY", 200, timeout=60) == [
        ["last_key_here"]
    ]
    # values are matched as the tree shows them: true, numbers as JSON writes them
    assert worker.call(bodywork.search, remote.ticket, "TRUE", 200, timeout=60) == [
        ["last_key_here"]
    ]
    assert worker.call(bodywork.search, remote.ticket, "29998", 5, timeout=60) == [
        ["orders", 29998],
        ["orders", 29998, "id"],
        ["orders", 29998, "sku"],
    ]


def test_small_bodies_and_other_kinds_prepare_as_before() -> None:
    small = prepare_body(b'{"a": [1, 2]}', "application/json", "")
    assert small.document == {"a": [1, 2]}
    assert small.remote is None
    form = prepare_body(b"a=1&b=2", "application/x-www-form-urlencoded", "")
    assert form.form == [("a", "1"), ("b", "2")]


def test_a_large_body_that_is_not_json_comes_back_as_text(worker: BodyWorker) -> None:
    body = b"[" + b"x" * (2 << 20)
    prepared = worker.prepare(body, "application/json", "")
    assert prepared.remote is None
    assert prepared.inspection.views == ["raw", "hex"]
    assert prepared.raw.startswith("[xxx")


def test_a_newer_body_supersedes_one_still_being_prepared(worker: BodyWorker) -> None:
    slow = big_json(600_000, marker="old")  # a few seconds to parse and indent
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            outcome["first"] = worker.prepare(slow, "application/json", "")
        except SupersededError as exc:
            outcome["first"] = exc

    thread = threading.Thread(target=first)
    thread.start()
    deadline = time.monotonic() + 30
    while not (worker._preparing is not None and worker._preparing.running()):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)  # it is parsing now
    newer = worker.prepare(big_json(30_000, marker="new"), "application/json", "")
    thread.join(30)
    assert isinstance(outcome["first"], SupersededError)  # the old result is never delivered
    assert newer.remote is not None
    assert decode_children(newer.remote.first)[0][0] == "new"
    with pytest.raises(WorkerGoneError):  # the old document went with the replaced process
        worker.call(bodywork.children, 1, [], 0, 10)


def test_asking_before_any_body_was_prepared_says_the_worker_is_gone(worker: BodyWorker) -> None:
    with pytest.raises(WorkerGoneError):
        worker.call(bodywork.children, 1, [], 0, 10)
