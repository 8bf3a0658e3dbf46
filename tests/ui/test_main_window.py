"""The real app on a real qasync loop: requests over real sockets become rows and details."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.ui.conftest import RunAsync, RunningApp, eventually

ORDER = b'{"type":"order_created","amount":4200,"items":[{"sku":"A-1","qty":2}]}'


def post(url: str, body: bytes = ORDER, **headers: str) -> httpx.Response:
    return httpx.post(url, content=body, headers={"Content-Type": "application/json", **headers})


def test_requests_appear_as_rows_and_selection_shows_detail(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for path in ("/a", "/b", "/c"):
                await asyncio.to_thread(post, app.url + path, **{"X-GitHub-Event": "push"})
            await eventually(lambda: window.model.rowCount() == 3)
            newest = window.model.summary(0)
            assert (newest.path, newest.method, newest.event_type) == ("/c", "POST", "push")
            assert window.select_id(newest.id)
            await eventually(lambda: window.detail.capture is not None)
            await eventually(lambda: window.detail.body.current_view() == "tree")
            headers = dict(window.detail.headers_model.pairs)
            assert headers["X-GitHub-Event"] == "push"
            tree = window.detail.body.tree_model
            assert tree is not None
            assert tree.data(tree.index(1, 1)) == "4200"
            assert window.header.count.text() == "3 captures"

    run_async(scenario())


def test_gzip_body_is_shown_decoded_with_a_note(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            packed = gzip.compress(ORDER)
            await asyncio.to_thread(post, app.url + "/gz", packed, **{"Content-Encoding": "gzip"})
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(window.model.summary(0).id)
            await eventually(lambda: window.detail.body.current_view() == "tree")
            assert "decoded from gzip" in window.detail.body.note.text()
            assert window.detail.capture is not None
            assert window.detail.capture.body == packed  # the store keeps the gzip bytes

    run_async(scenario())


def test_binary_body_opens_in_hex(qapp: QApplication, run_async: RunAsync, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            await asyncio.to_thread(
                httpx.post,
                app.url + "/bin",
                content=bytes(range(256)),
                headers={"Content-Type": "application/octet-stream"},
            )
            await eventually(lambda: window.model.rowCount() == 1)
            window.select_id(window.model.summary(0).id)
            await eventually(lambda: window.detail.body.current_view() == "hex")
            assert window.detail.body.text_of("hex").startswith(
                "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|"
            )

    run_async(scenario())


def test_history_loads_on_start_newest_page_first(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_many([make_capture(target=f"/old/{i}") for i in range(1200)])

    async def scenario() -> None:
        async with RunningApp(qapp, db) as app:
            window = app.window
            assert window is not None
            assert window.model.rowCount() >= 500  # the first page is there at once
            assert window.model.summary(0).target == "/old/1199"
            await eventually(lambda: window.model.rowCount() == 1200)
            assert window.model.summary(1199).target == "/old/0"
            assert window.header.count.text() == "1,200 captures"

    run_async(scenario())


def test_star_note_delete_and_clear(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            for i in range(3):
                await asyncio.to_thread(post, f"{app.url}/n/{i}")
            await eventually(lambda: window.model.rowCount() == 3)
            first_id = window.model.summary(2).id
            window.select_id(first_id)
            window.toggle_star()
            await eventually(lambda: window.model.summary(2).starred)
            assert window.model.data(window.model.index(2, 0)) == "★"
            window.store.set_note(first_id, "refund case")
            window.select_id(window.model.summary(0).id)
            window.delete_selected()
            await eventually(lambda: window.model.rowCount() == 2)
            window.undo_bar.commit_all()  # no waiting for the undo window to pass
            await eventually(lambda: window.store.count() == 2)
            window.clear_all()
            window._confirm.done(window._confirm.standardButton(window._confirm.buttons()[0]))
            await asyncio.sleep(0.1)
            assert window.store.count() == 2  # Cancel keeps everything
            window.clear_all()
            from PySide6.QtWidgets import QMessageBox

            window._confirm.done(QMessageBox.StandardButton.Discard)
            await eventually(lambda: window.model.rowCount() == 0)
            assert window.store.count() == 0

    run_async(scenario())


def test_port_in_use_shows_error_and_suggestion(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        async def scenario() -> None:
            async with RunningApp(qapp, tmp_path / "c.db", port=port) as app:
                window = app.window
                assert window is not None
                assert not window.session.listening
                assert f"port {port} is in use" in window.header.state.text()
                suggestion = window.header.port.value()
                assert suggestion != port
                window.header.listen.click()
                assert window.session.listening
                assert window.session.port == suggestion
                response = await asyncio.to_thread(post, app.url + "/after")
                assert response.status_code == 200

        run_async(scenario())


def test_busy_gui_thread_does_not_delay_answers(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    latencies: list[float] = []

    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            url = app.url

            def sender() -> None:
                with httpx.Client() as client:
                    for i in range(10):
                        started = time.monotonic()
                        assert client.post(f"{url}/stall/{i}", content=b"{}").status_code == 200
                        latencies.append(time.monotonic() - started)
                        time.sleep(0.1)

            thread = threading.Thread(target=sender)
            thread.start()
            time.sleep(2.0)  # noqa: ASYNC251  # block the GUI thread on purpose: no Qt, no asyncio
            await asyncio.to_thread(thread.join)
            await eventually(lambda: window.model.rowCount() == 10)

    run_async(scenario())
    assert len(latencies) == 10
    assert max(latencies) < 1.0, f"answers waited on the GUI: {latencies}"


def test_quit_with_keepalive_open_is_prompt(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> float:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            port = window.session.port
            conn = socket.create_connection(("127.0.0.1", port))
            conn.sendall(b"POST /ka HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            await asyncio.to_thread(conn.recv, 4096)
            started = time.monotonic()
            assert await app.quit() == 0
            elapsed = time.monotonic() - started
            conn.close()
            return elapsed

    assert run_async(scenario()) < 2.0
    with Store.open(tmp_path / "c.db") as store:
        assert store.count() == 1


def test_a_busy_port_keeps_the_receiver_that_works(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]

        async def scenario() -> None:
            async with RunningApp(qapp, tmp_path / "c.db") as app:
                window = app.window
                assert window is not None
                working = app.url
                window.header.port.setValue(taken)
                window.header.listen.click()
                assert window.session.listening
                assert window.session.url == working
                state = window.header.state.text()
                assert f"port {taken} is in use" in state
                assert f"still listening on {working}" in state
                assert window.header.url.text() == working
                response = await asyncio.to_thread(post, working + "/still")
                assert response.status_code == 200

        run_async(scenario())


def test_one_capture_is_counted_in_the_singular(
    qapp: QApplication, run_async: RunAsync, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with RunningApp(qapp, tmp_path / "c.db") as app:
            window = app.window
            assert window is not None
            await asyncio.to_thread(post, app.url + "/one")
            await eventually(lambda: window.header.count.text() == "1 capture")

    run_async(scenario())
