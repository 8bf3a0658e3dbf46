"""A large JSON body in the window: parsed in the worker process, shown a page at a time, and
never replaced by a late result once the selection has moved on."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import orjson
from PySide6.QtWidgets import QApplication

from tests.core.factories import make_capture
from tests.ui.conftest import RunAsync, RunningApp, eventually

LARGE = 1 << 20


def big_json(items: int, marker: str) -> bytes:
    rows = [{"id": i, "sku": f"SKU-{i}", "tags": ["a", "b"]} for i in range(items)]
    body = orjson.dumps({marker: rows, "last_key_here": True})
    assert len(body) > LARGE
    return body


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has exited


def test_a_large_json_body_is_parsed_in_another_process(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            stored = window.store.add(make_capture(body=big_json(30_000, "orders")))
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(stored.id)
            body = window.detail.body
            await eventually(lambda: body.tree_model is not None, within=30)
            model = body.tree_model
            assert model is not None
            remote = getattr(model, "remote", None)
            assert remote is not None, "the document was parsed in the window's process"
            assert remote.worker_pid != os.getpid()
            # The tree reads as it did: keys, values, kinds; rows made a page at a time.
            orders = model.index(0, 0)
            assert model.data(orders) == "orders"
            assert model.data(model.index(0, 2)) == "array [30000]"
            assert model.data(model.index(1, 1)) == "true"
            have = model.rowCount(orders)  # pages the view asked for so far
            assert have % 1000 == 0
            assert 1000 <= have < 30_000
            assert model.canFetchMore(orders)
            model.fetchMore(orders)  # returns at once; the rows come when the worker answers
            await eventually(lambda: model.rowCount(orders) >= have + 1000)
            item = model.index(1500, 0, orders)
            assert body.tree.isExpanded(orders)
            body.tree.expand(item)
            sku = model.index(1, 0, item)
            assert (model.data(sku), model.data(model.index(1, 1, item))) == ("sku", '"SKU-1500"')
            assert orjson.loads(model.value_text(item)) == {
                "id": 1500,
                "sku": "SKU-1500",
                "tags": ["a", "b"],
            }
            body.tree.setCurrentIndex(sku)
            body._copy_path()
            assert QApplication.clipboard().text() == "$.orders[1500].sku"
            # The pretty and hex texts come from the worker after the tree.
            assert body.text_of("pretty").startswith('{\n  "orders": [\n    {\n      "id": 0,')
            assert body.text_of("hex").startswith("00000000  7b 22 6f 72 64 65 72 73")
            # Search walks the document in the worker; the rows down to each hit are fetched.
            body.search.setText("SKU-2999")
            body.search.next_requested.emit()  # Enter: large bodies are not searched per key
            await eventually(lambda: " of " in body.search_status.text(), within=60)
            assert body.search_status.text() == "1 of 11"
            assert model.data(body.tree.currentIndex().parent()) == "2999"
            body.search.previous_requested.emit()  # back from the first: the last, far down
            await eventually(lambda: body.search_status.text() == "11 of 11", within=60)
            hit = body.tree.currentIndex()
            assert model.data(hit) == "sku"
            assert model.data(hit.parent()) == "29999"
            worker = remote.worker_pid
        # Quitting stops the worker process, whatever it is doing.
        await eventually(lambda: not running(worker))

    run_async(scenario())


def test_moving_the_selection_never_shows_the_old_bodys_late_result(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            old = window.store.add(make_capture(body=big_json(300_000, "old_body")))
            new = window.store.add(make_capture(body=big_json(25_000, "new_body")))
            small = window.store.add(make_capture(body=b'{"small_body": 1}'))
            await eventually(lambda: window.model.rowCount() == 3)
            body = window.detail.body

            def first_key() -> str:
                model = body.tree_model
                return "" if model is None else str(model.data(model.index(0, 0)))

            for later in (new, small):  # a large body, and one prepared in the window
                window.select_id(old.id)
                await asyncio.sleep(0.3)  # the old body is being read or parsed meanwhile
                window.select_id(later.id)
                wanted = "new_body" if later is new else "small_body"
                await eventually(lambda wanted=wanted: first_key() == wanted, within=60)  # type: ignore[misc]
                await asyncio.sleep(3)  # long enough for the old body's result to come back
                assert first_key() == wanted
                assert wanted in body.text_of("raw")

    run_async(scenario())
