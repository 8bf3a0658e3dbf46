"""A dozen captures that between them exercise every filter field, shared by the filter tests.

Ids are assigned in this order (1..12), as a fresh store assigns them.
"""

from __future__ import annotations

from hookscope.core.model import Capture
from tests.core.factories import make_capture

JSON = ("Content-Type", "application/json")
HOME = "127.0.0.1:5000"

_CORPUS: dict[str, dict[str, object]] = {
    "stripe": {
        "target": "/hooks/stripe?x=1",
        "headers": (JSON, ("Stripe-Signature", "t=1,v1=abc")),
        "body": b'{"type":"payment_intent.succeeded","amount":4200,"currency":"usd",'
        b'"data":{"object":{"id":"pi_1","amount":4200}}}',
    },
    "github": {
        "target": "/hooks/github",
        "headers": (JSON, ("X-GitHub-Event", "push"), ("User-Agent", "GitHub-Hookshot/abc")),
        "body": b'{"ref":"refs/heads/main","commits":[{"id":"a"},{"id":"b"}],'
        b'"tags":["urgent","ci"]}',
        "remote": "10.0.0.7:4431",
    },
    "shopify": {
        "target": "/hooks/shopify/orders",
        "headers": (JSON, ("X-Shopify-Topic", "orders/create")),
        "body": b'{"event":"order_created","total":"19.99","id":"1000","count":3}',
        "response_status": 500,
        "remote": "[::1]:6000",
        "starred": True,
    },
    "form": {
        "method": "PUT",
        "target": "/Hooks/Form?Name=%C3%9Cn%C3%AF",
        "headers": (("Content-Type", "application/x-www-form-urlencoded"),),
        "body": b"name=Caf%C3%A9&msg=card+declined",
        "response_status": 204,
    },
    "plain": {
        "method": "GET",
        "target": "/health",
        "headers": (("Host", "localhost"),),
        "body": b"",
        "response_status": 404,
    },
    "rejected": {
        "target": "/hooks/stripe",
        "headers": (("Content-Type", "application/json; charset=utf-8"),),
        "body": b'{"type":"charge.failed","amount":99}',
        "response_status": 401,
        "rejected": "signature-mismatch",
    },
    "big": {
        "target": "/upload",
        "headers": (("Content-Type", "text/plain"),),
        "body": b"x" * (20 * 1024 - 6) + b"needle",
    },
    "utf8": {
        "target": "/hooks/%C3%BCmlaut",
        "headers": (("Content-Type", "text/plain; charset=utf-8"),),
        "body": "Grüße aus Köln".encode(),
    },
    "array": {
        "target": "/batch",
        "headers": (JSON,),
        "body": b'[{"type":"a"},{"type":"b","amount":5}]',
    },
    "notjson": {
        "target": "/hooks/xml",
        "headers": (("Content-Type", "application/xml"),),
        "body": b"<error>card declined</error><amount>5000</amount>",
    },
    "bigint": {
        "target": "/events",
        "headers": (JSON,),
        "body": b'{"id":123456789012345678901234567890,"ratio":0.5,"flag":true,"none":null,'
        b'"neg":-3}',
    },
    "dup": {
        "method": "DELETE",
        "target": "/hooks/a*b",
        "headers": (("X-Dup", "one"), ("X-Dup", "two")),
        "body": b"",
        "response_status": 202,
    },
}

NAMES = tuple(_CORPUS)
EVENT_TYPES = {
    "stripe": "payment_intent.succeeded",
    "github": "push",
    "shopify": "orders/create",
    "rejected": "charge.failed",
}


def corpus() -> list[Capture]:
    """Fresh captures without ids, in id order."""
    defaults: dict[str, object] = {"remote": HOME}
    return [make_capture(**{**defaults, **fields}) for fields in _CORPUS.values()]


def numbered() -> dict[str, Capture]:
    """The corpus by name, with the ids a store would give them."""
    return {
        name: c.with_id(i) for i, (name, c) in enumerate(zip(NAMES, corpus(), strict=True), start=1)
    }
