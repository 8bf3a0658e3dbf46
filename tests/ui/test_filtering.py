"""The filter bar: queries narrow the table (history and live arrivals), errors show inline."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.ui.conftest import RunAsync, RunningApp, eventually


def test_query_filters_history_and_live_arrivals(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_many(
            [
                make_capture(
                    target="/hooks/stripe", body=b'{"type":"charge.failed","amount":9000}'
                ),
                make_capture(
                    target="/hooks/stripe", body=b'{"type":"charge.succeeded","amount":5}'
                ),
                make_capture(
                    target="/hooks/github", headers=(("X-GitHub-Event", "push"),), body=b"{}"
                ),
            ]
        )

    async def scenario() -> None:
        async with RunningApp(qapp, db) as app:
            window = app.window
            assert window is not None
            await eventually(lambda: window.model.rowCount() == 3)
            window.filter_bar.edit.setText("path:/hooks/stripe json:$.amount>1000")
            window.filter_bar.edit.returnPressed.emit()
            await eventually(lambda: window.model.rowCount() == 1)
            assert window.model.summary(0).id == 1
            assert window.header.count.text() == "1 of 3"
            # A live arrival is tested against the same query.
            await asyncio.to_thread(
                httpx.post, app.url + "/hooks/stripe", content=b'{"amount":20000}'
            )
            await asyncio.to_thread(httpx.post, app.url + "/hooks/stripe", content=b'{"amount":1}')
            await eventually(lambda: window.store.count() == 5)
            await eventually(lambda: window.model.rowCount() == 2)
            window.filter_bar.edit.setText("")
            window.filter_bar.edit.returnPressed.emit()
            await eventually(lambda: window.model.rowCount() == 5)

    run_async(scenario())


def test_bad_query_is_shown_inline_and_keeps_the_rows(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            await asyncio.to_thread(httpx.post, app.url + "/x", content=b"1")
            await eventually(lambda: window.model.rowCount() == 1)
            window.filter_bar.edit.setText("method:POST stauts:200")
            window.filter_bar.edit.returnPressed.emit()
            assert window.filter_bar.error.isVisible()
            assert "did you mean 'status'" in window.filter_bar.error.text()
            assert window.filter_bar.marked_text() == "stauts"
            assert window.filter_bar.edit.selectedText() == ""
            assert window.model.rowCount() == 1

    run_async(scenario())


def test_the_error_marker_leaves_what_you_type_alone(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            edit = window.filter_bar.edit
            edit.setFocus()
            QTest.keyClicks(edit, "method:POST status:")
            await eventually(lambda: window.filter_bar.error.isVisible())  # the pause
            QTest.keyClicks(edit, ">=400")
            assert edit.text() == "method:POST status:>=400"
            await eventually(lambda: not window.filter_bar.error.isVisible())
            assert window.filter_bar.marked_text() == ""
            QTest.keyClicks(edit, " size:")
            await eventually(lambda: window.filter_bar.error.isVisible())
            assert window.filter_bar.marked_text() == "size:"  # underlined, not selected
            assert edit.selectedText() == ""
            assert edit.cursorPosition() == len(edit.text())

    run_async(scenario())


def test_filter_by_signature_verdict_follows_the_settings(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    import time

    from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
    from hookscope.core.signing import SCHEMES

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"type":"invoice.paid"}'

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            window.verdicts.set_settings(
                SignatureSettings([SignatureSetting("/pay/*", "stripe", (secret,))])
            )
            for path, key in (("/pay/good", secret), ("/pay/bad", "whsec_" + "C" * 32)):
                signed = SCHEMES["stripe"].sign(body, key, timestamp=int(time.time()))
                await asyncio.to_thread(
                    httpx.post, app.url + path, content=body, headers=dict(signed)
                )
            await eventually(lambda: window.model.rowCount() == 2)
            window.show_query("sig:valid")
            await eventually(lambda: window.model.rowCount() == 1)
            assert window.model.summary(0).path == "/pay/good"
            window.show_query("sig:invalid")
            await eventually(
                lambda: window.model.rowCount() == 1 and window.model.summary(0).path == "/pay/bad"
            )
            # Other settings, other verdicts: the filter follows at once.
            window.verdicts.set_settings(SignatureSettings([]))
            await eventually(lambda: window.model.rowCount() == 0)

    run_async(scenario())


def test_a_capture_arriving_while_a_filter_runs_is_listed(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from hookscope.core.store import filtering

    release = threading.Event()
    real = filtering.select_ids

    def held(*args: Any, **kwargs: Any) -> Any:  # the filter pass waits for the test
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(filtering, "select_ids", held)
    monkeypatch.setattr("hookscope.core.view.view.select_ids", held)

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for path in ("/keep/1", "/drop/1"):
                await asyncio.to_thread(httpx.post, app.url + path, content=b"{}")
            await eventually(lambda: window.model.rowCount() == 2)
            window.filter_bar.edit.setText("path:/keep/* method:POST")
            window.filter_bar.edit.returnPressed.emit()
            await asyncio.to_thread(httpx.post, app.url + "/keep/2", content=b"{}")
            await eventually(lambda: window.model.rowCount() == 3)  # shown while filtering
            release.set()
            await eventually(lambda: "match" in window.statusBar().currentMessage())
            shown = [window.model.summary(r).target for r in range(window.model.rowCount())]
            assert shown == ["/keep/2", "/keep/1"]

    run_async(scenario())


def test_a_saved_query_filters_the_history_on_the_next_start(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_many([make_capture(target=t) for t in ("/keep/1", "/drop", "/keep/2")])

    async def scenario() -> None:
        async with RunningApp(qapp, db) as app:
            window = app.window
            assert window is not None
            await eventually(lambda: window.model.rowCount() == 3)
            window.filter_bar.edit.setText("path:/keep/*")
            window.filter_bar.edit.returnPressed.emit()
            await eventually(lambda: window.model.rowCount() == 2)
        async with RunningApp(qapp, db) as app:
            window = app.window
            assert window is not None
            assert window.filter_bar.edit.text() == "path:/keep/*"
            await eventually(lambda: window.model.rowCount() == 2)
            await asyncio.sleep(0.3)  # nothing later undoes it
            shown = [window.model.summary(r).target for r in range(window.model.rowCount())]
            assert shown == ["/keep/2", "/keep/1"]
            assert window.header.count.text() == "2 of 3"

    run_async(scenario())
