"""The ways people turn a provider's secret string into key bytes. Each provider uses one; using
another is the most common reason a correct-looking signature fails to verify."""

from __future__ import annotations

from hookscope.core.signing.encodings import decode_base64, decode_hex
from hookscope.core.signing.errors import SigningInputError

__all__ = ["KEY_PREFIXES", "secret_readings", "strip_key_prefix", "whsec_key"]

KEY_PREFIXES = ("whsec_", "whsk_", "whpk_")


def strip_key_prefix(secret: str) -> tuple[str, str]:
    """(prefix, rest) for the Standard Webhooks key prefixes; ("", secret) without one."""
    for prefix in KEY_PREFIXES:
        if secret.startswith(prefix):
            return prefix, secret[len(prefix) :]
    return "", secret


def whsec_key(secret: str, scheme: str) -> bytes:
    """Standard Webhooks and Svix: drop `whsec_`, base64-decode the rest (padding optional)."""
    _, rest = strip_key_prefix(secret)
    key = decode_base64(rest)
    if not key:
        raise SigningInputError(
            f"a {scheme} secret is whsec_ followed by base64; {secret[:10]!r}… is not base64"
        )
    return key


def secret_readings(secret: str) -> list[tuple[str, bytes]]:
    """Every plausible key from `secret`, labelled with how it was read, most common first."""
    prefix, rest = strip_key_prefix(secret)
    readings = [("the whole secret string", secret.encode("utf-8"))]
    stripped = secret.strip()
    if stripped != secret:
        readings.append(("the secret without its surrounding whitespace", stripped.encode()))
    if prefix:
        readings.append((f"the secret as text without its {prefix} prefix", rest.encode()))
    decoded = decode_base64(rest.strip())
    if decoded:
        after = f" after {prefix}" if prefix else ""
        readings.append((f"the secret base64-decoded{after}", decoded))
    hexed = decode_hex(rest.strip())
    if hexed:
        readings.append(("the secret hex-decoded", hexed))
    urlsafe = decode_base64(rest.strip().replace("-", "+").replace("_", "/"))
    if urlsafe and urlsafe != decoded:
        readings.append(("the secret decoded as URL-safe base64", urlsafe))
    unique: dict[bytes, str] = {}
    for label, key in readings:
        unique.setdefault(key, label)
    return [(label, key) for key, label in unique.items()]
