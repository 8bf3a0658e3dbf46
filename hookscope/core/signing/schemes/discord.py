"""Discord interactions: `X-Signature-Ed25519: <hex ed25519 signature>` over
`{X-Signature-Timestamp}{body}`, checked with the application's public key (hex). Discord sets
no tolerance; give one with `tolerance` to check the timestamp."""

from __future__ import annotations

from hookscope.core.model import header_values
from hookscope.core.signing.ed25519_scheme import Ed25519Scheme
from hookscope.core.signing.encodings import decode_hex
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import (
    HeaderError,
    HeaderList,
    parse_unix_seconds,
    wire_bytes,
)
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["Discord"]


class Discord(Ed25519Scheme):
    name = "discord"
    title = "Discord interactions (ed25519)"
    headers = ("X-Signature-Ed25519", "X-Signature-Timestamp")
    detect_headers = ("X-Signature-Ed25519",)
    signature_header = "X-Signature-Ed25519"
    timestamp_header = "X-Signature-Timestamp"
    signed_parts = "{timestamp}{body}"
    secret_format = "sign with the private key (hex seed), verify with the public key (hex)"
    encoding = "hex"
    signs_timestamp = True
    single_signature = True

    def _hex(self, secret: str) -> bytes:
        raw = decode_hex(secret.strip())
        if raw is None:
            raise SigningInputError(f"a {self.name} key is hex (the public key is 64 digits)")
        return raw

    def private_key_bytes(self, secret: str) -> bytes:
        return self._hex(secret)

    def public_key_bytes(self, secret: str) -> bytes | None:
        raw = self._hex(secret)
        return None if len(raw) == 64 else raw  # 64 bytes: NaCl's seed + public key

    def read(self, headers: HeaderList) -> Presented:
        names = (self.timestamp_header, self.signature_header)
        missing = [name for name in names if not any(header_values(headers, name))]
        if missing:
            raise HeaderError(Reason.MISSING_HEADER, f"The request has no {', '.join(missing)}")
        timestamp = parse_unix_seconds(header_values(headers, names[0])[0], names[0])
        entries = tuple(v for v in header_values(headers, names[1]) if v)
        return Presented(entries, entries, timestamp=timestamp)

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        assert presented.timestamp is not None
        return [wire_bytes(presented.timestamp) + body]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        assert presented.timestamp is not None
        return [
            (self.signature_header, signatures[0]),
            (self.timestamp_header, presented.timestamp),
        ]
