from __future__ import annotations

from typing import Any

from hookscope.core.model import Capture


def make_capture(**overrides: Any) -> Capture:
    fields: dict[str, Any] = {
        "method": "POST",
        "target": "/hooks/stripe?x=1",
        "headers": (("Host", "localhost"), ("Content-Type", "application/json")),
        "body": b'{"type":"payment_intent.succeeded","amount":4200}',
        "received_us": 1_795_000_000_123_456,
        "remote": "127.0.0.1:5000",
    }
    fields.update(overrides)
    return Capture(**fields)


def deep_json(depth: int) -> bytes:
    """A JSON object nesting `depth` levels (arrays inside), with an event type and a password
    at the top and a secret at the bottom: what a hostile sender posts to blow a stack."""
    return (
        b'{"type":"deep","password":"hunter2","a":'
        + b"[" * (depth - 2)
        + b'{"secret":"s3cr3t"}'
        + b"]" * (depth - 2)
        + b"}"
    )
