"""The crypto half of the public-key schemes (Standard Webhooks v1a, Discord): the sender signs
with a private key, the receiver checks with the matching public key."""

from __future__ import annotations

from abc import abstractmethod

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.scheme import Presented, Scheme

__all__ = ["Ed25519Scheme"]


class Ed25519Scheme(Scheme[Ed25519PrivateKey, Ed25519PublicKey]):
    check_overhead = 48 * 1024  # an ed25519 check costs about as much as HMAC over 48 KB

    @property
    def algorithm(self) -> str:
        return "ed25519"

    @abstractmethod
    def private_key_bytes(self, secret: str) -> bytes:
        """The 32-byte seed (or NaCl's 64-byte seed + public key) in `secret`."""

    @abstractmethod
    def public_key_bytes(self, secret: str) -> bytes | None:
        """The 32-byte public key in `secret`; None if `secret` holds a private key instead."""

    def load_signing_key(self, secret: str) -> Ed25519PrivateKey:
        raw = self.private_key_bytes(secret)
        if len(raw) not in (32, 64):
            raise SigningInputError(
                f"a {self.name} private key is 32 bytes (or 64 with its public key), "
                f"this one is {len(raw)}"
            )
        return Ed25519PrivateKey.from_private_bytes(raw[:32])

    def load_verifying_key(self, secret: str) -> Ed25519PublicKey:
        raw = self.public_key_bytes(secret)
        if raw is None:  # a private key: its public half verifies too
            return self.load_signing_key(secret).public_key()
        if len(raw) != 32:
            raise SigningInputError(f"a {self.name} public key is 32 bytes, this one is {len(raw)}")
        return Ed25519PublicKey.from_public_bytes(raw)

    def make_signature(self, key: Ed25519PrivateKey, content: bytes) -> bytes:
        return key.sign(content)

    def signature_matches(
        self, key: Ed25519PublicKey, content: bytes, signature: bytes, presented: Presented
    ) -> bool:
        try:
            key.verify(signature, content)
        except InvalidSignature:
            return False
        return True

    def expected_signature(
        self, key: Ed25519PublicKey, content: bytes, presented: Presented
    ) -> bytes | None:
        return None  # only the private key can make one
