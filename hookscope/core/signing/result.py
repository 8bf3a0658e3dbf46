"""What a verification found: a reason code, a human explanation, and the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Diagnosis", "Reason", "Verification"]


class Reason(StrEnum):
    """The reason codes of `hookscope verify --json` (a public interface: never rename)."""

    OK = "ok"
    MISSING_HEADER = "missing-header"
    MALFORMED_HEADER = "malformed-header"
    BAD_SIGNATURE = "bad-signature"
    TIMESTAMP_TOO_OLD = "timestamp-too-old"
    TIMESTAMP_TOO_NEW = "timestamp-too-new"
    UNSUPPORTED_VERSION = "unsupported-version"


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The usual mistake that explains a failure, found by re-checking the signature under it.

    `code` is one of: body-reserialised, trailing-newline, secret-decoding, wrong-scheme,
    timestamp-changed, url-mismatch, signature-encoding.
    """

    code: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The verdict on one request. `expected`/`received` are signatures as the header writes
    them; `signed_content` is what the scheme signs for this request (None if the headers
    were unusable)."""

    scheme: str
    reason: Reason
    detail: str
    signed_content: bytes | None = None
    expected: tuple[str, ...] = ()
    received: tuple[str, ...] = ()
    diagnosis: Diagnosis | None = None
    timestamp: int | None = None

    @property
    def valid(self) -> bool:
        return self.reason is Reason.OK

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of `hookscope verify --json` (the first three fields are the contract)."""
        return {
            "valid": self.valid,
            "reason": self.reason.value,
            "detail": self.detail,
            "scheme": self.scheme,
            "diagnosis": None
            if self.diagnosis is None
            else {"code": self.diagnosis.code, "explanation": self.diagnosis.explanation},
            "expected": list(self.expected),
            "received": list(self.received),
            "timestamp": self.timestamp,
        }
