"""Pass-through: the sender gets the handler's real answer; 502 and 504 say why when not."""

from __future__ import annotations

import httpx

from hookscope.core.forward import ERROR_HEADER, ForwardTarget, Mode
from hookscope.core.store import outbox
from tests.core.forward.conftest import Rig
from tests.helpers import wait_for


def _target(url: str, **kw: object) -> ForwardTarget:
    return ForwardTarget("app", url, mode=Mode.PASS_THROUGH, **kw)  # type: ignore[arg-type]


def test_the_sender_gets_the_handlers_status_headers_and_body(rig: Rig) -> None:
    rig.handler.status = 202
    rig.handler.body = b'{"received":true}'
    rig.handler.headers = [("X-Handler", "a"), ("x-handler", "b"), ("Content-Type", "app/x")]
    receiver = rig.run(_target(rig.handler.url))
    response = httpx.post(f"{receiver.url}/hooks/1?x=1", content=b'{"id":1}')
    assert response.status_code == 202
    assert response.content == b'{"received":true}'
    raw = [(n.decode(), v.decode()) for n, v in response.headers.raw]
    assert ("X-Handler", "a") in raw
    assert ("x-handler", "b") in raw
    assert ("Content-Type", "app/x") in raw
    assert len([n for n, _ in raw if n.lower() == "server"]) == 1  # the handler's, not two
    (got,) = rig.handler.wait(1)
    assert got.target == "/hooks/1?x=1"
    assert got.body == b'{"id":1}'
    capture = rig.store.get(1)
    assert capture is not None
    assert capture.response_status == 202
    assert capture.response_body == b'{"received":true}'
    assert capture.rule == "forward app"
    db = rig.store.reader()
    wait_for(lambda: len(outbox.attempts_for(db, 1)) == 1)
    (attempt,) = outbox.attempts_for(db, 1)
    assert attempt.status == 202
    assert attempt.url == f"{rig.handler.url}/hooks/1?x=1"
    assert attempt.response_body == b'{"received":true}'
    assert ("X-Handler", "a") in attempt.response_headers


def test_handler_down_is_a_502_that_says_why(rig: Rig) -> None:
    url = rig.handler.url
    rig.handler.stop()
    receiver = rig.run(_target(url))
    response = httpx.post(f"{receiver.url}/x", content=b"{}")
    assert response.status_code == 502
    assert response.headers[ERROR_HEADER].startswith("refused:")
    assert b"could not forward" in response.content
    capture = rig.store.get(1)
    assert capture is not None
    assert capture.response_status == 502
    db = rig.store.reader()
    wait_for(lambda: len(outbox.attempts_for(db, 1)) == 1)
    (attempt,) = outbox.attempts_for(db, 1)
    assert attempt.status is None
    assert attempt.error is not None
    assert attempt.error.startswith("refused:")


def test_a_hanging_handler_is_a_504_after_the_timeout(rig: Rig) -> None:
    rig.handler.behaviour = "hang"
    receiver = rig.run(_target(rig.handler.url, timeout_s=0.3))
    response = httpx.post(f"{receiver.url}/x", content=b"{}", timeout=10)
    assert response.status_code == 504
    assert response.headers[ERROR_HEADER].startswith("timeout:")
    assert rig.store.count() == 1  # durable all the same


def test_a_reset_from_the_handler_is_a_502(rig: Rig) -> None:
    rig.handler.behaviour = "reset"
    receiver = rig.run(_target(rig.handler.url))
    response = httpx.post(f"{receiver.url}/x", content=b"{}")
    assert response.status_code == 502
    assert response.headers[ERROR_HEADER].startswith("reset:")


def test_a_paused_pass_through_target_queues_instead(rig: Rig) -> None:
    receiver = rig.run(_target(rig.handler.url, paused=True))
    response = httpx.post(f"{receiver.url}/x", content=b"{}")
    assert response.status_code == 200  # hookscope's own answer
    assert response.content == b""
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].pending == 1)  # type: ignore[union-attr]
    assert rig.handler.received == []
    rig.forwarder.resume_target("app")
    (got,) = rig.handler.wait(1)
    assert got.target == "/x"
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 1)  # type: ignore[union-attr]


def test_attempts_are_recorded_across_a_receiver_restart(rig: Rig) -> None:
    from hookscope.core.receiver import Receiver

    first = rig.run(_target(rig.handler.url))
    assert httpx.post(f"{first.url}/one", content=b"1").status_code == 200
    first.stop()
    assert rig.forwarder is not None
    again = Receiver(rig.store, port=0, forward=rig.forwarder.pass_through, shutdown_timeout=0.2)
    rig.receiver = again
    again.start()
    assert httpx.post(f"{again.url}/two", content=b"2").status_code == 200
    db = rig.store.reader()
    wait_for(lambda: [len(outbox.attempts_for(db, i)) for i in (1, 2)] == [1, 1])
