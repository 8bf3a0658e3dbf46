"""Standard Webhooks v1a: ed25519 over `{id}.{timestamp}.{body}`. The sender signs with
`whsk_` + base64(32-byte seed); the receiver verifies with `whpk_` + base64(public key)."""

from __future__ import annotations

from hookscope.core.signing.ed25519_scheme import Ed25519Scheme
from hookscope.core.signing.encodings import decode_base64
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import HeaderList
from hookscope.core.signing.scheme import Presented
from hookscope.core.signing.schemes import standard_envelope
from hookscope.core.signing.secrets import strip_key_prefix

__all__ = ["StandardWebhooksV1a"]


class StandardWebhooksV1a(Ed25519Scheme):
    name = "standard-webhooks-v1a"
    title = "Standard Webhooks v1a (ed25519)"
    version = "v1a"
    headers = ("webhook-id", "webhook-timestamp", "webhook-signature")
    detect_headers = ("webhook-signature",)
    signature_header = "webhook-signature"
    timestamp_header = "webhook-timestamp"
    signed_parts = "{id}.{timestamp}.{body}"
    secret_format = "sign with whsk_ + base64(seed), verify with whpk_ + base64(public key)"
    encoding = "base64"
    tolerance = 300.0
    signs_id = True
    signs_timestamp = True

    def _decode(self, secret: str) -> tuple[str, bytes]:
        prefix, rest = strip_key_prefix(secret)
        raw = decode_base64(rest)
        if raw is None:
            raise SigningInputError(
                f"a {self.name} key is whsk_ (private) or whpk_ (public) followed by base64"
            )
        return prefix, raw

    def private_key_bytes(self, secret: str) -> bytes:
        prefix, raw = self._decode(secret)
        if prefix == "whpk_":
            raise SigningInputError("signing needs the private key (whsk_…), not the public one")
        return raw

    def public_key_bytes(self, secret: str) -> bytes | None:
        prefix, raw = self._decode(secret)
        return None if prefix == "whsk_" else raw

    def read(self, headers: HeaderList) -> Presented:
        return standard_envelope.read(headers, ("webhook-",), self.version)

    def detect(self, headers: HeaderList) -> bool:
        return standard_envelope.has_version(headers, "webhook-", self.version)

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        return [standard_envelope.content(body, presented)]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        return standard_envelope.write("webhook-", self.version, signatures, presented)

    def entry(self, signature: str) -> str:
        return f"{self.version},{signature}"
