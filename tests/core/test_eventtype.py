from __future__ import annotations

import pytest

from hookscope.core.eventtype import detect_event_type
from tests.core.factories import deep_json


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ([("X-GitHub-Event", "push")], b'{"type":"other"}', "push"),
        ([("x-shopify-topic", "orders/create")], b"", "orders/create"),
        ([], b'{"type":"payment_intent.succeeded"}', "payment_intent.succeeded"),
        ([], b'{"type":"event_callback","event":{"type":"app_mention"}}', "app_mention"),
        ([], b'  {"event":"order_created"}', "order_created"),
        ([], b'{"event":{"type":"x.y"}}', "x.y"),
        ([], b"[1,2]", ""),
        ([], b"{not json", ""),
        ([], b"\xff\xfe", ""),
        ([], b"", ""),
    ],
)
def test_detect_event_type(headers: list[tuple[str, str]], body: bytes, expected: str) -> None:
    assert detect_event_type(headers, body) == expected


def test_a_deeply_nested_body_has_no_type_and_does_not_raise() -> None:
    assert detect_event_type([], b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}") == ""


@pytest.mark.parametrize("depth", [1000, 3000])
def test_a_body_nested_too_deep_has_no_event_type(depth: int) -> None:
    assert detect_event_type([], deep_json(depth)) == ""
    assert detect_event_type([("X-GitHub-Event", "push")], deep_json(depth)) == "push"
