"""Text encodings of signatures and secrets: hex and base64, decoded strictly."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Literal

__all__ = ["Encoding", "decode_base64", "decode_hex", "decode_signature", "encode_signature"]

Encoding = Literal["hex", "base64"]

_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def decode_base64(text: str) -> bytes | None:
    """Standard base64, padding optional (the Standard Webhooks library tolerates it missing);
    None if `text` is not base64. Strict, unlike `b64decode`, which skips stray characters."""
    if not text or not text.isascii():
        return None
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        pass
    if not _BASE64.fullmatch(text):
        return None
    unpadded = text.rstrip("=")
    try:
        return base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True)
    except binascii.Error:
        return None


def decode_hex(text: str) -> bytes | None:
    if not text or not text.isascii():
        return None
    try:
        return binascii.unhexlify(text)
    except binascii.Error:
        return None


def decode_signature(text: str, encoding: Encoding) -> bytes | None:
    return decode_hex(text) if encoding == "hex" else decode_base64(text)


def encode_signature(raw: bytes, encoding: Encoding) -> str:
    return raw.hex() if encoding == "hex" else base64.b64encode(raw).decode("ascii")
