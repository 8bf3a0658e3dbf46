"""The receiver in-process: real sockets on 127.0.0.1, a real store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hookscope.core.errors import PortInUseError
from hookscope.core.receiver import Receiver
from hookscope.core.responder import Responder
from hookscope.core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.db") as opened:
        yield opened


def test_port_in_use_names_the_port_and_suggests_another(store: Store) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        receiver = Receiver(store, port=port)
        with pytest.raises(PortInUseError) as caught:
            receiver.start()
    message = str(caught.value)
    assert f"port {port} on 127.0.0.1 is already in use" in message
    assert caught.value.suggestion is not None
    assert caught.value.suggestion != port
    assert f"--port {caught.value.suggestion}" in message


def test_fail_first_then_normal_answer_per_path(store: Store) -> None:
    receiver = Receiver(store, port=0, responder=Responder(fail_first=2))
    receiver.start()
    try:
        with httpx.Client(base_url=receiver.url) as client:
            statuses = [client.post("/a", content=b"x").status_code for _ in range(3)]
            other = client.post("/b", content=b"x").status_code
    finally:
        receiver.stop()
    assert statuses == [503, 503, 200]
    assert other == 503
    recorded = [(s.path, s.response_status) for s in store.summaries(newest_first=False)]
    assert recorded == [("/a", 503), ("/a", 503), ("/a", 200), ("/b", 503)]
    assert store.get(1).rule == "fail-first 2"  # type: ignore[union-attr]


def test_status_and_delay(store: Store) -> None:
    receiver = Receiver(store, port=0, responder=Responder(status=202, delay_s=0.3))
    receiver.start()
    try:
        started = time.monotonic()
        response = httpx.put(f"{receiver.url}/x", content=b"1")
        elapsed = time.monotonic() - started
    finally:
        receiver.stop()
    assert response.status_code == 202
    assert elapsed >= 0.3
    assert response.headers["server"].startswith("hookscope/")


def test_stop_with_keepalive_open_is_prompt(store: Store) -> None:
    receiver = Receiver(store, port=0)
    receiver.start()
    conn = socket.create_connection(("127.0.0.1", receiver.port))
    conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    conn.recv(1024)
    started = time.monotonic()
    receiver.stop()
    assert time.monotonic() - started < 2.0
    conn.close()


def test_restart_after_stop(store: Store) -> None:
    receiver = Receiver(store, port=0)
    receiver.start()
    receiver.stop()
    receiver.start()
    try:
        assert httpx.get(f"{receiver.url}/again").status_code == 200
    finally:
        receiver.stop()


def test_turns_tells_a_stuck_event_loop_from_a_running_one(tmp_path: Path) -> None:
    # The receiver process's watchdog asks this: a loop blocked by a callback is "stuck".
    with Store.open(tmp_path / "c.db") as store:
        receiver = Receiver(store, port=0)
        receiver.start()
        try:
            assert receiver.turns(2.0)
            loop = receiver._loop
            assert loop is not None
            released = threading.Event()
            loop.call_soon_threadsafe(released.wait, 5.0)  # holds the loop
            assert not receiver.turns(0.3)
            released.set()
            assert receiver.turns(2.0)
        finally:
            receiver.stop()
        assert not receiver.turns(0.1)  # stopped: nothing turns


def test_an_accept_retry_after_the_server_closed_is_no_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Out of descriptors, asyncio stops accepting and retries a second later; if the receiver
    # stopped meanwhile, the retry meets a closed socket. Nothing is wrong: no traceback.
    import asyncio

    from hookscope.core.receiver import _AcceptErrors

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_AcceptErrors().handle)
    closed = socket.socket()
    closed.close()
    try:
        retry = asyncio.Handle(
            loop._start_serving,  # type: ignore[attr-defined]  # what asyncio schedules
            (lambda: None, closed),
            loop,
        )
        with caplog.at_level("DEBUG", logger="asyncio"):
            retry._run()
    finally:
        loop.close()
    assert "Invalid file descriptor" not in caplog.text
    assert caplog.records == []
