"""Paddle Billing: `Paddle-Signature: ts=<ts>;h1=<hex>`, HMAC-SHA256 over `{ts}:{body}` (a
colon, where Stripe uses a dot). Paddle's SDKs allow only a few seconds of age."""

from __future__ import annotations

from hookscope.core.model import header_values
from hookscope.core.signing.headers import (
    HeaderError,
    HeaderList,
    parse_unix_seconds,
    wire_bytes,
)
from hookscope.core.signing.hmac_scheme import HmacScheme
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["Paddle"]


class Paddle(HmacScheme):
    name = "paddle"
    title = "Paddle Billing"
    headers = ("Paddle-Signature",)
    detect_headers = headers
    signature_header = "Paddle-Signature"
    timestamp_header = "ts= in Paddle-Signature"
    signed_parts = "{timestamp}:{body}"
    encoding = "hex"
    tolerance = 5.0
    rejects_future = False
    signs_timestamp = True

    def read(self, headers: HeaderList) -> Presented:
        values = [v for v in header_values(headers, "Paddle-Signature") if v]
        if not values:
            raise HeaderError(Reason.MISSING_HEADER, "the request has no Paddle-Signature header")
        items = [item.strip().partition("=") for item in ";".join(values).split(";")]
        stamps = [value for key, _, value in items if key == "ts"]
        if not stamps:
            raise HeaderError(Reason.MALFORMED_HEADER, "Paddle-Signature has no ts=<timestamp>")
        timestamp = parse_unix_seconds(stamps[0], "ts= in Paddle-Signature")
        entries = tuple(f"{key}={value}" for key, eq, value in items if eq and key != "ts")
        signatures = tuple(value for key, _, value in items if key == "h1")
        if signatures:
            return Presented(entries, signatures, timestamp=timestamp)
        versions = sorted({key for key, eq, _ in items if eq and key != "ts"})
        if versions:
            raise HeaderError(
                Reason.UNSUPPORTED_VERSION,
                f"Paddle-Signature holds only {', '.join(versions)} signatures; h1 is checked",
            )
        raise HeaderError(Reason.MALFORMED_HEADER, "Paddle-Signature holds no h1=<signature>")

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        assert presented.timestamp is not None
        return [wire_bytes(presented.timestamp) + b":" + body]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        elements = [f"ts={presented.timestamp}", *(f"h1={s}" for s in signatures)]
        return [("Paddle-Signature", ";".join(elements))]

    def entry(self, signature: str) -> str:
        return f"h1={signature}"
