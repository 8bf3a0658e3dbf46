"""Standard Webhooks v1: HMAC-SHA256 over `{id}.{timestamp}.{body}`, base64, keyed by the
base64-decoded part of a `whsec_` secret; timestamps within 5 minutes either way."""

from __future__ import annotations

from hookscope.core.signing.headers import HeaderList
from hookscope.core.signing.hmac_scheme import HmacScheme
from hookscope.core.signing.scheme import Presented
from hookscope.core.signing.schemes import standard_envelope
from hookscope.core.signing.secrets import whsec_key

__all__ = ["StandardWebhooks"]


class StandardWebhooks(HmacScheme):
    name = "standard-webhooks"
    title = "Standard Webhooks v1 (HMAC-SHA256)"
    prefixes: tuple[str, ...] = ("webhook-",)
    version = "v1"
    headers = ("webhook-id", "webhook-timestamp", "webhook-signature")
    detect_headers = ("webhook-signature",)
    signature_header = "webhook-signature"
    timestamp_header = "webhook-timestamp"
    signed_parts = "{id}.{timestamp}.{body}"
    secret_format = "whsec_ + base64: the part after whsec_, base64-decoded"
    encoding = "base64"
    tolerance = 300.0
    signs_id = True
    signs_timestamp = True

    def key_from_secret(self, secret: str) -> bytes:
        return whsec_key(secret, self.name)

    def read(self, headers: HeaderList) -> Presented:
        return standard_envelope.read(headers, self.prefixes, self.version)

    def detect(self, headers: HeaderList) -> bool:
        return standard_envelope.has_version(headers, self.prefixes[0], self.version)

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        return [standard_envelope.content(body, presented)]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        return standard_envelope.write(self.prefixes[0], self.version, signatures, presented)

    def entry(self, signature: str) -> str:
        return f"{self.version},{signature}"
