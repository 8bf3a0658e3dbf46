"""The crypto half shared by every HMAC scheme: a secret, a digest, a constant-time compare."""

from __future__ import annotations

import hmac

from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.scheme import Presented, Scheme
from hookscope.core.signing.secrets import secret_readings

__all__ = ["HmacScheme"]


class HmacScheme(Scheme[bytes, bytes]):
    digest: str = "sha256"  # a hashlib name
    secret_format = "the secret string as UTF-8 text"

    @property
    def algorithm(self) -> str:
        return f"HMAC-{self.digest.upper()}"

    def key_from_secret(self, secret: str) -> bytes:
        """Most providers use the secret text itself, even when it looks like hex or base64."""
        return secret.encode("utf-8")

    def load_signing_key(self, secret: str) -> bytes:
        key = self.key_from_secret(secret)
        if not key:
            raise SigningInputError("the secret is empty")
        return key

    def load_verifying_key(self, secret: str) -> bytes:
        return self.load_signing_key(secret)

    def make_signature(self, key: bytes, content: bytes) -> bytes:
        return hmac.digest(key, content, self.digest)

    def expected_signature(self, key: bytes, content: bytes, presented: Presented) -> bytes:
        return hmac.digest(key, content, presented.algorithm or self.digest)

    def alternative_keys(self, secret: str) -> list[tuple[str, bytes]]:
        own = self.key_from_secret(secret)
        return [(label, key) for label, key in secret_readings(secret) if key != own]
