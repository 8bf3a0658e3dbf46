"""The Standard Webhooks envelope, shared by its HMAC (v1) and ed25519 (v1a) schemes and Svix:
`{prefix}id`, `{prefix}timestamp`, and `{prefix}signature` holding space-separated
`version,signature` entries, over `{id}.{timestamp}.{body}`."""

from __future__ import annotations

from hookscope.core.model import header_values
from hookscope.core.signing.headers import (
    HeaderError,
    HeaderList,
    parse_unix_seconds,
    wire_bytes,
)
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["content", "has_version", "read", "write"]

# Which scheme checks which version, for the hint when only other versions are present.
_CHECKED_BY = {"v1": "standard-webhooks (or svix)", "v1a": "standard-webhooks-v1a"}


def read(headers: HeaderList, prefixes: tuple[str, ...], version: str) -> Presented:
    """The `version` entries of the first header family present among `prefixes` (Svix's
    library reads `svix-*`, then falls back to `webhook-*`)."""
    prefix = next((p for p in prefixes if header_values(headers, p + "signature")), prefixes[0])
    names = [prefix + "id", prefix + "timestamp", prefix + "signature"]
    missing = [name for name in names if not any(header_values(headers, name))]
    if missing:
        raise HeaderError(Reason.MISSING_HEADER, f"The request has no {', '.join(missing)}")
    msg_id = header_values(headers, names[0])[0]
    timestamp = parse_unix_seconds(header_values(headers, names[1])[0], names[1])
    entries = tuple(" ".join(header_values(headers, names[2])).split())
    mine: list[str] = []
    others: set[str] = set()
    for entry in entries:
        entry_version, comma, signature = entry.partition(",")
        if comma and entry_version == version:
            mine.append(signature)
        elif comma:
            others.add(entry_version)
    if mine:
        return Presented(entries, tuple(mine), timestamp=timestamp, msg_id=msg_id)
    if others:
        found = ", ".join(sorted(others))
        hint = "; ".join(
            f"{v} is checked by {_CHECKED_BY[v]}" for v in sorted(others & {*_CHECKED_BY})
        )
        raise HeaderError(
            Reason.UNSUPPORTED_VERSION,
            f"{names[2]} holds only {found} signatures, no {version}"
            + (f" ({hint})" if hint else ""),
        )
    raise HeaderError(Reason.MALFORMED_HEADER, f"{names[2]} holds no 'version,signature' entries")


def has_version(headers: HeaderList, prefix: str, version: str) -> bool:
    entries = " ".join(header_values(headers, prefix + "signature")).split()
    return any(entry.partition(",")[0] == version for entry in entries)


def content(body: bytes, presented: Presented) -> bytes:
    assert presented.msg_id is not None
    assert presented.timestamp is not None
    return wire_bytes(presented.msg_id) + b"." + wire_bytes(presented.timestamp) + b"." + body


def write(
    prefix: str, version: str, signatures: list[str], presented: Presented
) -> list[tuple[str, str]]:
    assert presented.msg_id is not None
    assert presented.timestamp is not None
    return [
        (prefix + "id", presented.msg_id),
        (prefix + "timestamp", presented.timestamp),
        (prefix + "signature", " ".join(f"{version},{s}" for s in signatures)),
    ]
