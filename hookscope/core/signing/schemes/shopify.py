"""Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`, keyed by the app's
client secret. After a secret rotation Shopify may sign with the old one for an hour: pass both.

Shopify's Events webhooks carry the same signature in `shopify-hmac-sha256` (no `X-`), which
`@shopify/shopify-api` 13 accepts beside the classic name; so does this scheme. It signs with
the classic name, which every Shopify library reads."""

from __future__ import annotations

from hookscope.core.model import header_values
from hookscope.core.signing.headers import HeaderList
from hookscope.core.signing.scheme import Presented
from hookscope.core.signing.schemes.header_envelope import HeaderHmacScheme

__all__ = ["Shopify"]

_EVENTS_HEADER = "shopify-hmac-sha256"


class Shopify(HeaderHmacScheme):
    name = "shopify"
    title = "Shopify"
    headers = ("X-Shopify-Hmac-Sha256",)
    also_read = (_EVENTS_HEADER,)
    detect_headers = (*headers, *also_read)
    signature_header = "X-Shopify-Hmac-Sha256"
    secret_format = "the app's client secret as UTF-8 text"
    encoding = "base64"

    def read(self, headers: HeaderList) -> Presented:
        # The classic header wins when both are present; the message names the classic one.
        if any(header_values(headers, self.signature_header)):
            return super().read(headers)
        if any(header_values(headers, _EVENTS_HEADER)):
            entries = tuple(v for v in header_values(headers, _EVENTS_HEADER) if v)
            return Presented(entries, entries)
        return super().read(headers)
