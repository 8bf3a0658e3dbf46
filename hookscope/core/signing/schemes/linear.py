"""Linear: `Linear-Signature: <hex HMAC-SHA256 of the body>`, no prefix. The signed time is
the body's `webhookTimestamp` (milliseconds); Linear suggests rejecting beyond a minute."""

from __future__ import annotations

import json

from hookscope.core.signing.scheme import Presented
from hookscope.core.signing.schemes.header_envelope import HeaderHmacScheme

__all__ = ["Linear"]


class Linear(HeaderHmacScheme):
    name = "linear"
    title = "Linear"
    headers = ("Linear-Signature",)
    detect_headers = headers
    signature_header = "Linear-Signature"
    timestamp_header = "webhookTimestamp in the body"
    encoding = "hex"
    tolerance = 60.0

    def signed_time(self, presented: Presented, body: bytes) -> int | None:
        # Read-only: the body is parsed to find the field, never re-serialised.
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            return None
        stamp = document.get("webhookTimestamp") if isinstance(document, dict) else None
        if isinstance(stamp, int | float) and not isinstance(stamp, bool):
            return int(stamp // 1000)
        return None
