"""Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=…][,v0=…]`, HMAC-SHA256 over `{t}.{body}`
keyed by the whole `whsec_…` string. Only `v1` counts: the `v0` that test mode adds is ignored
to block downgrade attacks. Stripe's library rejects only timestamps that are too old."""

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

__all__ = ["Stripe"]


class Stripe(HmacScheme):
    name = "stripe"
    title = "Stripe"
    headers = ("Stripe-Signature",)
    detect_headers = headers
    signature_header = "Stripe-Signature"
    timestamp_header = "t= in Stripe-Signature"
    signed_parts = "{timestamp}.{body}"
    secret_format = "the whole whsec_… string as UTF-8 text, not decoded"
    encoding = "hex"
    tolerance = 300.0
    rejects_future = False
    signs_timestamp = True

    def read(self, headers: HeaderList) -> Presented:
        values = [v for v in header_values(headers, "Stripe-Signature") if v]
        if not values:
            raise HeaderError(Reason.MISSING_HEADER, "the request has no Stripe-Signature header")
        items = [item.strip().partition("=") for item in ",".join(values).split(",")]
        stamps = [value for key, _, value in items if key == "t"]
        if not stamps:
            raise HeaderError(
                Reason.MALFORMED_HEADER, "Stripe-Signature has no t=<timestamp> element"
            )
        timestamp = parse_unix_seconds(stamps[0], "t= in Stripe-Signature")
        entries = tuple(f"{key}={value}" for key, eq, value in items if eq and key != "t")
        signatures = tuple(value for key, _, value in items if key == "v1")
        if signatures:
            return Presented(entries, signatures, timestamp=timestamp)
        versions = sorted({key for key, eq, _ in items if eq and key != "t"})
        if versions:
            fake = " (v0 is the fake scheme Stripe adds in test mode)" if "v0" in versions else ""
            raise HeaderError(
                Reason.UNSUPPORTED_VERSION,
                f"Stripe-Signature holds only {', '.join(versions)} signatures{fake}; only v1 "
                "is checked, as Stripe's libraries do, to prevent downgrade attacks",
            )
        raise HeaderError(Reason.MALFORMED_HEADER, "Stripe-Signature holds no v1=<signature>")

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        assert presented.timestamp is not None
        return [wire_bytes(presented.timestamp) + b"." + body]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        elements = [f"t={presented.timestamp}", *(f"v1={s}" for s in signatures)]
        return [("Stripe-Signature", ",".join(elements))]

    def entry(self, signature: str) -> str:
        return f"v1={signature}"
