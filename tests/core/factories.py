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
