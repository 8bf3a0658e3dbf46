"""Store-and-forward: acknowledged at once, delivered from the outbox, retried while the handler
is down, in arrival order, to every target, re-signed for the handler when asked."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
import standardwebhooks
import stripe

from hookscope.core.forward import ForwardTarget, Mode
from hookscope.core.retry.policy import fixed
from hookscope.core.signing import get_scheme
from hookscope.core.store import outbox
from tests.core.forward.conftest import Rig
from tests.handler import Received
from tests.helpers import wait_for

# Every 50 ms for 20 s: a busy machine may take seconds to restart a handler.
FAST = fixed(400, 0.05)


def _queue(name: str, url: str, **kw: object) -> ForwardTarget:
    return ForwardTarget(name, url, mode=Mode.QUEUE, policy=FAST, **kw)  # type: ignore[arg-type]


def _post(url: str, n: int) -> httpx.Response:
    return httpx.post(url, content=json.dumps({"n": n}).encode())


def test_the_sender_is_answered_at_once_and_the_handler_gets_it_after(rig: Rig) -> None:
    rig.handler.status = 500  # the sender must not see this
    receiver = rig.run(_queue("app", rig.handler.url))
    response = _post(f"{receiver.url}/hooks", 1)
    assert response.status_code == 200
    assert response.content == b""
    got = rig.handler.wait(2)  # retried: the handler answers 500
    assert got[0].body == got[1].body == b'{"n": 1}'
    rig.handler.status = 200
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 1)  # type: ignore[union-attr]
    attempts = outbox.attempts_for(rig.store.reader(), 1)
    assert [a.n for a in attempts] == list(range(1, len(attempts) + 1))
    assert attempts[0].status == 500
    assert attempts[-1].status == 200


def test_handler_down_then_up_loses_nothing_and_keeps_order(rig: Rig) -> None:
    url = rig.handler.url
    rig.handler.stop()
    receiver = rig.run(_queue("app", url))
    for n in range(20):
        assert _post(f"{receiver.url}/hooks/{n}", n).status_code == 200
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].failing == 1)  # type: ignore[union-attr]
    rig.handler.start()  # the same port again
    got = rig.handler.wait(20)
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 20)  # type: ignore[union-attr]
    assert [r.target for r in rig.handler.received] == [f"/hooks/{n}" for n in range(20)]
    assert got[0].body == b'{"n": 0}'
    first = outbox.attempts_for(rig.store.reader(), 1)
    assert first[0].error is not None
    assert first[0].error.startswith("refused:")
    assert first[-1].status == 200


def test_fan_out_delivers_to_each_target_and_records_each(rig: Rig, tmp_path: object) -> None:
    from tests.handler import Handler

    second = Handler(status=503).start()
    try:
        receiver = rig.run(
            _queue("one", rig.handler.url),
            ForwardTarget("two", second.url, mode=Mode.QUEUE, policy=fixed(2, 0.05)),
        )
        _post(f"{receiver.url}/x", 1)
        rig.handler.wait(1)
        second.wait(2)
        assert rig.forwarder is not None
        wait_for(lambda: rig.forwarder.counts()["two"].failed == 1)  # type: ignore[union-attr]
        counts = rig.forwarder.counts()
        assert counts["one"].delivered == 1
        attempts = outbox.attempts_for(rig.store.reader(), 1)
        assert sorted((a.target, a.status) for a in attempts) == [
            ("one", 200),
            ("two", 503),
            ("two", 503),
        ]
    finally:
        second.stop()


def test_pause_holds_deliveries_and_resume_sends_them_in_order(rig: Rig) -> None:
    receiver = rig.run(_queue("app", rig.handler.url, paused=True))
    for n in range(3):
        _post(f"{receiver.url}/p/{n}", n)
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].pending == 3)  # type: ignore[union-attr]
    assert rig.handler.received == []
    rig.forwarder.resume_target("app")
    rig.handler.wait(3)
    assert [r.target for r in rig.handler.received] == ["/p/0", "/p/1", "/p/2"]
    rig.forwarder.pause("app")
    _post(f"{receiver.url}/p/3", 3)
    wait_for(lambda: rig.forwarder.counts()["app"].pending == 1)  # type: ignore[union-attr]
    assert len(rig.handler.received) == 3


def test_redelivery_on_request_is_a_new_delivery_beside_the_first(rig: Rig) -> None:
    receiver = rig.run(_queue("app", rig.handler.url))
    _post(f"{receiver.url}/again", 7)
    rig.handler.wait(1)
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 1)  # type: ignore[union-attr]
    assert rig.forwarder.enqueue([1], "app") == 1
    got = rig.handler.wait(2)
    assert got[0].body == got[1].body
    wait_for(lambda: len(outbox.attempts_for(rig.store.reader(), 1)) == 2)
    deliveries = outbox.latest_by_capture(rig.store.reader(), [1])[1]
    assert [d.mode for d in deliveries] == ["queue", "redeliver"]


def test_a_policy_that_gives_up_marks_the_delivery_failed_and_moves_on(rig: Rig) -> None:
    def by_body(got: Received) -> int:
        return 500 if got.body == b'{"n": 0}' else 200

    rig.handler.check = by_body
    receiver = rig.run(ForwardTarget("app", rig.handler.url, mode=Mode.QUEUE, policy=fixed(3, 0)))
    _post(f"{receiver.url}/a", 0)
    _post(f"{receiver.url}/b", 1)
    rig.handler.wait(4)
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 1)  # type: ignore[union-attr]
    counts = rig.forwarder.counts()["app"]
    assert counts.failed == 1
    assert [r.target for r in rig.handler.received] == ["/a", "/a", "/a", "/b"]


SECRET_SW = "whsec_" + base64.b64encode(b"handler-secret-for-tests-0123456").decode()
SECRET_STRIPE = "whsec_handler_stripe_secret"
PROVIDER_SW = "whsec_" + base64.b64encode(b"provider-secret-0123456789abcdef").decode()


def _signed(scheme: str, secret: str, body: bytes, msg_id: str) -> list[tuple[str, str]]:
    import time

    return list(get_scheme(scheme).sign(body, secret, msg_id=msg_id, timestamp=int(time.time())))


@pytest.mark.parametrize("mode", [Mode.QUEUE, Mode.PASS_THROUGH])
def test_resigned_for_the_handler_as_standard_webhooks_verifies(rig: Rig, mode: Mode) -> None:
    body = b'{"type":"invoice.paid"}'
    verified: list[dict[str, object]] = []

    def verify(got: Received) -> int:
        headers = {n: v for n, v in got.headers}
        try:
            verified.append(standardwebhooks.Webhook(SECRET_SW).verify(got.body, headers))
        except Exception:
            return 401
        assert headers["webhook-id"] == "msg_original_1"
        return 204

    rig.handler.check = verify
    target = ForwardTarget(
        "app", rig.handler.url, mode=mode, policy=FAST, resign="standard-webhooks",
        secret=SECRET_SW,
    )  # fmt: skip
    receiver = rig.run(target)
    headers = _signed("standard-webhooks", PROVIDER_SW, body, "msg_original_1")
    response = httpx.post(f"{receiver.url}/sw", content=body, headers=headers)
    assert response.status_code == (204 if mode is Mode.PASS_THROUGH else 200)
    rig.handler.wait(1)
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 1)  # type: ignore[union-attr]
    assert verified == [{"type": "invoice.paid"}]


def test_resigned_for_the_handler_as_stripe_verifies(rig: Rig) -> None:
    body = b'{"id":"evt_1","object":"event","type":"charge.succeeded"}'
    events: list[str] = []

    def verify(got: Received) -> int:
        headers = {n.lower(): v for n, v in got.headers}
        try:
            event = stripe.Webhook.construct_event(
                got.body.decode(), headers["stripe-signature"], SECRET_STRIPE
            )
        except Exception:
            return 400
        events.append(event["id"])
        return 200

    rig.handler.check = verify
    target = _queue("app", rig.handler.url, resign="stripe", secret=SECRET_STRIPE)
    receiver = rig.run(target)
    headers = _signed("stripe", "whsec_provider_side", body, "evt_1")
    assert httpx.post(f"{receiver.url}/stripe", content=body, headers=headers).status_code == 200
    rig.handler.wait(1)
    assert rig.forwarder is not None
    wait_for(lambda: rig.forwarder.counts()["app"].delivered == 1)  # type: ignore[union-attr]
    assert events == ["evt_1"]
