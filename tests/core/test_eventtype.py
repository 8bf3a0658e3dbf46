from __future__ import annotations

import pytest

from hookscope.core.eventtype import detect_event_type


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
