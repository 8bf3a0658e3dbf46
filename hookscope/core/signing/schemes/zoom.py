"""Zoom: `x-zm-signature: v0=<hex>` over `v0:{x-zm-request-timestamp}:{body}`, keyed by the
secret token. Zoom recommends a timestamp check without a number: hookscope uses 5 minutes."""

from __future__ import annotations

from hookscope.core.signing.schemes.v0_envelope import V0Scheme

__all__ = ["Zoom"]


class Zoom(V0Scheme):
    name = "zoom"
    title = "Zoom"
    headers = ("x-zm-request-timestamp", "x-zm-signature")
    detect_headers = ("x-zm-signature",)
    signature_header = "x-zm-signature"
    timestamp_header = "x-zm-request-timestamp"
    secret_format = "the secret token as UTF-8 text"
