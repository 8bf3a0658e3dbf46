"""Svix: Standard Webhooks v1 under `svix-*` header names (Svix's library also accepts the
`webhook-*` names, and so does this scheme)."""

from __future__ import annotations

from hookscope.core.signing.headers import HeaderList
from hookscope.core.signing.schemes import standard_envelope
from hookscope.core.signing.schemes.standard_webhooks import StandardWebhooks

__all__ = ["Svix"]


class Svix(StandardWebhooks):
    name = "svix"
    title = "Svix (Standard Webhooks v1 as svix-*)"
    prefixes = ("svix-", "webhook-")
    headers = ("svix-id", "svix-timestamp", "svix-signature")
    detect_headers = ("svix-signature",)
    signature_header = "svix-signature"
    timestamp_header = "svix-timestamp"

    def detect(self, headers: HeaderList) -> bool:
        return standard_envelope.has_version(headers, "svix-", self.version)
