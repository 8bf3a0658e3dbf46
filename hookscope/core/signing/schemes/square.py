"""Square: `x-square-hmacsha256-signature: <base64 HMAC-SHA256 of notification URL + body>`.
The URL must be the subscription's URL byte for byte (a trailing slash alone breaks it)."""

from __future__ import annotations

from hookscope.core.signing.scheme import Presented
from hookscope.core.signing.schemes.header_envelope import HeaderHmacScheme

__all__ = ["Square"]


class Square(HeaderHmacScheme):
    name = "square"
    title = "Square"
    headers = ("x-square-hmacsha256-signature",)
    detect_headers = headers
    signature_header = "x-square-hmacsha256-signature"
    signed_parts = "{url}{body}"
    secret_format = "the signature key as UTF-8 text"
    encoding = "base64"
    needs_url = True

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        return [url.encode("utf-8") + body]
