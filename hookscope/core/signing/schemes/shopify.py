"""Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`, keyed by the app's
client secret. After a secret rotation Shopify may sign with the old one for an hour: pass both."""

from __future__ import annotations

from hookscope.core.signing.schemes.header_envelope import HeaderHmacScheme

__all__ = ["Shopify"]


class Shopify(HeaderHmacScheme):
    name = "shopify"
    title = "Shopify"
    headers = ("X-Shopify-Hmac-Sha256",)
    detect_headers = headers
    signature_header = "X-Shopify-Hmac-Sha256"
    secret_format = "the app's client secret as UTF-8 text"
    encoding = "base64"
