from __future__ import annotations

import pytest

from hookscope.core.delivery_id import delivery_id
from hookscope.core.filters import compile_filter
from tests.core.factories import deep_json, make_capture


@pytest.mark.parametrize(
    ("headers", "body", "value", "label"),
    [
        (
            (("X-GitHub-Delivery", "72d3162e-cc78-11e3"),),
            b"{}",
            "72d3162e-cc78-11e3",
            "GitHub delivery id",
        ),
        ((("webhook-id", "msg_2K*x?"),), b"{}", "msg_2K*x?", "Standard Webhooks message id"),
        ((("svix-id", "msg_9"),), b"{}", "msg_9", "Svix message id"),
        (
            (),
            b'{"id":"evt_1Qx\\"odd","type":"charge.succeeded"}',
            'evt_1Qx"odd',
            "Stripe event id (body)",
        ),
        ((), b'{"event_id":"Ev0123","type":"event_callback"}', "Ev0123", "event id (body)"),
    ],
)
def test_ids_and_the_query_that_finds_every_delivery(
    headers: tuple[tuple[str, str], ...], body: bytes, value: str, label: str
) -> None:
    capture = make_capture(headers=headers, body=body)
    found = delivery_id(capture.headers, capture.body)
    assert found is not None
    assert (found.value, found.label) == (value, label)
    query = compile_filter(found.query)
    assert query.matches_capture(capture)  # globs and quotes in the id are taken literally
    retry = make_capture(headers=headers, body=body, target="/elsewhere")
    assert query.matches_capture(retry)
    other = make_capture(
        headers=(("X-GitHub-Delivery", "other"), ("webhook-id", "msg_2Kax?")),
        body=b'{"id":"evt_other","event_id":"other"}',
    )
    assert not query.matches_capture(other)


@pytest.mark.parametrize("body", [b"", b"[1]", b'{"id":"ch_1"}', b"{broken"])
def test_no_id(body: bytes) -> None:
    assert delivery_id((("Content-Type", "application/json"),), body) is None


@pytest.mark.parametrize("depth", [1000, 3000])
def test_a_body_nested_too_deep_has_no_delivery_id(depth: int) -> None:
    assert delivery_id((), deep_json(depth)) is None
