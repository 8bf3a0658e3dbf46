"""The one interface every signature scheme implements, and the verification it drives.

A scheme is split in two halves that vary independently:

- the *envelope*: which headers carry the signature and what exactly is signed
  (`read`, `signed_contents`, `write`, `entry`), and
- the *crypto*: how the secret becomes a key and a signature is made or checked
  (`load_signing_key`, `load_verifying_key`, `make_signature`, `signature_matches`).

`sign` and `verify` are pure functions of their arguments (bytes, secret, clock), so a sender
can wrap `sign` in an `httpx.Auth`, and the app can run `verify` on a stored capture.
"""

from __future__ import annotations

import hmac
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hookscope.core.model import header_values
from hookscope.core.signing import diagnosis
from hookscope.core.signing.encodings import Encoding, decode_signature, encode_signature
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import HeaderError, HeaderList
from hookscope.core.signing.result import Diagnosis, Reason, Verification

__all__ = ["Presented", "Scheme", "Secrets"]

SignKey = TypeVar("SignKey")
VerifyKey = TypeVar("VerifyKey")

Secrets = str | Sequence[str]
"""One secret, or several while a secret is being rotated (any of them may match)."""

_MESSAGE_ID = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True, slots=True)
class Presented:
    """What a request's headers carry for a scheme.

    `entries` are the signature entries as written (for display); `signatures` the encoded
    signatures of the version the scheme checks; `timestamp` and `msg_id` the header text
    that was signed, exactly as received.
    """

    entries: tuple[str, ...]
    signatures: tuple[str, ...]
    timestamp: str | None = None
    msg_id: str | None = None
    algorithm: str | None = None  # a per-request digest (Twilio's Webhooks Rules)


class Scheme(ABC, Generic[SignKey, VerifyKey]):
    """Base of every scheme. Subclasses set the descriptive attributes and the hooks below."""

    name: str
    title: str
    headers: tuple[str, ...]  # headers it reads and writes, in the provider's usual case
    also_read: tuple[str, ...] = ()  # headers it accepts in their place but never writes
    detect_headers: tuple[str, ...]  # a request carrying any of these is probably this scheme
    signed_parts: str  # what is signed, for people: "{timestamp}.{body}"
    secret_format: str  # how the provider turns its secret into a key, for people
    encoding: Encoding
    tolerance: float | None = None  # the provider's timestamp tolerance in seconds
    rejects_future: bool = True  # False: only too-old timestamps fail (Stripe)
    signature_header: str  # where the signature is, for messages
    timestamp_header: str = ""  # where the signed timestamp comes from, for messages
    signs_id: bool = False
    signs_timestamp: bool = False
    needs_url: bool = False
    single_signature: bool = False  # the header holds one signature: no rotation list
    # What one check costs beyond hashing the content, in bytes of HMAC input: bounds the
    # diagnosis' timestamp search.
    check_overhead: int = 0

    # --- envelope ---------------------------------------------------------------------------

    @abstractmethod
    def read(self, headers: HeaderList) -> Presented:
        """The signatures and signed values in `headers`; raises `HeaderError`."""

    @abstractmethod
    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        """The bytes that were signed; several when the provider is known to vary (Twilio's
        URL with and without its default port)."""

    @abstractmethod
    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        """The headers that carry encoded `signatures` and the signed id and timestamp."""

    def entry(self, signature: str) -> str:
        """One encoded signature as the header writes it (with its version or prefix)."""
        return signature

    def body_problem(self, body: bytes, presented: Presented, url: str) -> str | None:
        """Why the body fails a check beyond the signature itself (Twilio's body hash)."""
        return None

    def signed_time(self, presented: Presented, body: bytes) -> int | None:
        """The signed UNIX time in seconds, if the scheme has one."""
        return int(presented.timestamp) if presented.timestamp is not None else None

    def url_variants(self, url: str, body: bytes) -> list[tuple[str, str]]:
        """Scheme-specific URL mistakes to try when diagnosing (besides the generic ones)."""
        return []

    def detect(self, headers: HeaderList) -> bool:
        """Whether `headers` look signed by this scheme."""
        return any(header_values(headers, name) for name in self.detect_headers)

    # --- crypto -----------------------------------------------------------------------------

    @property
    @abstractmethod
    def algorithm(self) -> str:
        """For people: "HMAC-SHA256", "ed25519"."""

    @abstractmethod
    def load_signing_key(self, secret: str) -> SignKey:
        """The provider's secret decoded as the provider does; raises `SigningInputError`."""

    @abstractmethod
    def load_verifying_key(self, secret: str) -> VerifyKey: ...

    @abstractmethod
    def make_signature(self, key: SignKey, content: bytes) -> bytes: ...

    def signature_matches(
        self, key: VerifyKey, content: bytes, signature: bytes, presented: Presented
    ) -> bool:
        """Check one decoded signature: a constant-time compare with the signature the key
        gives, or the public-key check of schemes that cannot compute one."""
        expected = self.expected_signature(key, content, presented)
        return expected is not None and hmac.compare_digest(expected, signature)

    @abstractmethod
    def expected_signature(
        self, key: VerifyKey, content: bytes, presented: Presented
    ) -> bytes | None:
        """The signature a verifier can compute (None for public-key schemes)."""

    def alternative_keys(self, secret: str) -> list[tuple[str, VerifyKey]]:
        """Other ways people decode this secret, labelled, for the diagnosis."""
        return []

    def describe(self) -> dict[str, object]:
        """What `hookscope schemes --json` lists for this scheme."""
        direction = "both" if self.rejects_future else "past"
        return {
            "name": self.name,
            "title": self.title,
            "headers": list(self.headers),
            "algorithm": self.algorithm,
            "encoding": self.encoding,
            "signed": self.signed_parts,
            "secret": self.secret_format,
            "tolerance": self.tolerance,
            "tolerance_direction": None if self.tolerance is None else direction,
            "signs_id": self.signs_id,
            "signs_timestamp": self.signs_timestamp,
            "needs_url": self.needs_url,
        }

    # --- driver -----------------------------------------------------------------------------

    def sign(
        self,
        body: bytes,
        secret: Secrets,
        *,
        msg_id: str = "",
        timestamp: int | None = None,
        url: str = "",
    ) -> list[tuple[str, str]]:
        """The headers that sign `body`, in order. Several secrets give several signatures
        (rotation) where the provider's header holds a list."""
        secrets = _secret_list(secret)
        if self.single_signature and len(secrets) > 1:
            raise SigningInputError(f"{self.name} carries one signature: give one secret")
        self._require_url(url)
        if self.signs_id and not _MESSAGE_ID.fullmatch(msg_id):
            raise SigningInputError(
                f"{self.name} signs a message id: give one of visible ASCII characters"
            )
        if self.signs_timestamp and (timestamp is None or timestamp < 0):
            raise SigningInputError(f"{self.name} signs a timestamp: give UNIX seconds")
        presented = Presented(
            (),
            (),
            timestamp=str(timestamp) if self.signs_timestamp else None,
            msg_id=msg_id if self.signs_id else None,
        )
        content = self.signing_content(body, presented, url)
        signatures = [
            encode_signature(self.make_signature(self.load_signing_key(s), content), self.encoding)
            for s in secrets
        ]
        return self.write(signatures, presented)

    def signing_content(self, body: bytes, presented: Presented, url: str) -> bytes:
        return self.signed_contents(body, presented, url)[0]

    def verify(
        self,
        headers: HeaderList,
        body: bytes,
        secret: Secrets,
        *,
        url: str = "",
        now: float | None = None,
        tolerance: float | None = None,
        diagnose: bool = True,
        candidates: Mapping[str, Scheme[Any, Any]] | None = None,
    ) -> Verification:
        """Check the signature of one request. `tolerance` None means the provider's own; 0
        turns the timestamp check off. `diagnose` looks for the mistake behind a failure;
        `candidates` (the registry's `SCHEMES`, usually) are the other schemes it may name when
        the headers are not this scheme's."""

        secrets = _secret_list(secret)
        keys = [self.load_verifying_key(s) for s in secrets]
        self._require_url(url)
        try:
            presented = self.read(headers)
        except HeaderError as problem:
            return self._unreadable(problem, headers, body, secrets, url, diagnose, candidates)
        decoded = self.decoded_signatures(presented)
        if not decoded:
            detail = f"The signature in {self.signature_header} is not valid {self.encoding}."
            case = diagnosis.Case(
                self, keys, secrets, headers, body, presented, url, candidates or {}
            )
            misencoding = diagnosis.misencoded(case) if diagnose else None
            return self._verdict(
                Reason.MALFORMED_HEADER,
                f"{detail} {misencoding.explanation}" if misencoding else detail,
                diagnosis=misencoding,
                received=presented.entries,
            )
        contents = self.signed_contents(body, presented, url)
        computed = self._compute(keys, contents, presented)
        expected = tuple(
            self.entry(encode_signature(raw, self.encoding))
            for _, _, raw in computed
            if raw is not None
        )
        signed_time = self.signed_time(presented, body)
        found: Diagnosis | None = None
        matched = self._any_match(computed, decoded, presented)
        body_issue = self.body_problem(body, presented, url) if matched else None
        if not matched or body_issue:
            reason = Reason.BAD_SIGNATURE
            detail = body_issue or self._no_match_detail(len(decoded), len(keys))
            if diagnose:
                case = diagnosis.Case(
                    self, keys, secrets, headers, body, presented, url, candidates or {}
                )
                found = diagnosis.diagnose(case)
            if found is not None:
                detail = f"{_sentence(detail)} {found.explanation}"
        elif late := self._check_time(signed_time, now, tolerance):
            reason, detail = late
        else:
            reason, detail = Reason.OK, self._ok_detail(signed_time, now)
        return self._verdict(
            reason,
            detail,
            diagnosis=found,
            signed_content=contents[0],
            expected=expected,
            received=presented.entries,
            timestamp=signed_time,
        )

    def _unreadable(
        self,
        problem: HeaderError,
        headers: HeaderList,
        body: bytes,
        secrets: list[str],
        url: str,
        diagnose: bool,
        candidates: Mapping[str, Scheme[Any, Any]] | None,
    ) -> Verification:
        """The verdict when the headers cannot be checked; another scheme may fit them."""
        others = candidates or {}
        found = (
            diagnosis.other_scheme(self, others, headers, body, secrets, url) if diagnose else None
        )
        hint = found.explanation if found else diagnosis.detected_hint(self, others, headers)
        detail = f"{_sentence(problem.detail)} {hint}" if hint else problem.detail
        return self._verdict(problem.reason, detail, diagnosis=found)

    def decoded_signatures(self, presented: Presented) -> list[bytes]:
        decoded = (decode_signature(text, self.encoding) for text in presented.signatures)
        return [raw for raw in decoded if raw is not None]

    def holds(self, keys: Sequence[VerifyKey], body: bytes, presented: Presented, url: str) -> bool:
        """Whether any presented signature matches any key over any signed content (and the
        body passes the scheme's other checks)."""
        computed = self._compute(keys, self.signed_contents(body, presented, url), presented)
        if not self._any_match(computed, self.decoded_signatures(presented), presented):
            return False
        return self.body_problem(body, presented, url) is None

    def _compute(
        self, keys: Sequence[VerifyKey], contents: list[bytes], presented: Presented
    ) -> list[tuple[VerifyKey, bytes, bytes | None]]:
        """Every (key, content) pair with the signature it gives, computed once."""
        return [
            (key, content, self.expected_signature(key, content, presented))
            for key in keys
            for content in contents
        ]

    def _any_match(
        self,
        computed: list[tuple[VerifyKey, bytes, bytes | None]],
        signatures: list[bytes],
        presented: Presented,
    ) -> bool:
        for key, content, expected in computed:
            for signature in signatures:
                if expected is not None:
                    if hmac.compare_digest(expected, signature):
                        return True
                elif self.signature_matches(key, content, signature, presented):
                    return True
        return False

    # --- helpers ----------------------------------------------------------------------------

    def _require_url(self, url: str) -> None:
        if self.needs_url and not url:
            raise SigningInputError(
                f"{self.name} signs the full URL the provider calls: give it (--url)"
            )

    def _no_match_detail(self, signatures: int, keys: int) -> str:
        which = (
            "signature matches" if signatures == 1 else f"of the {signatures} signatures matches"
        )
        secrets = "this secret" if keys == 1 else "any of these secrets"
        return f"No {which} what {secrets} signs over this body."

    def _check_time(
        self, signed: int | None, now: float | None, tolerance: float | None
    ) -> tuple[Reason, str] | None:
        limit = self.tolerance if tolerance is None else tolerance
        if signed is None or limit is None or limit <= 0:
            return None
        clock = time.time() if now is None else now
        age = clock - signed
        where = self.timestamp_header or "signed"
        if age > limit:
            return (
                Reason.TIMESTAMP_TOO_OLD,
                f"The signature is valid, but its timestamp {signed} ({where}) is {age:.0f} s "
                f"old, beyond the {limit:g} s tolerance: a replayed or late delivery, or a clock "
                "running behind.",
            )
        if -age > limit and self.rejects_future:
            return (
                Reason.TIMESTAMP_TOO_NEW,
                f"The signature is valid, but its timestamp {signed} ({where}) is {-age:.0f} s "
                f"in the future, beyond the {limit:g} s tolerance: the sender's clock runs ahead "
                "(or the verifier's is behind).",
            )
        return None

    def _ok_detail(self, signed: int | None, now: float | None) -> str:
        if signed is None:
            return f"The {self.name} signature matches."
        clock = time.time() if now is None else now
        return f"The {self.name} signature matches; signed {clock - signed:.0f} s before now."

    def _verdict(
        self,
        reason: Reason,
        detail: str,
        *,
        diagnosis: Diagnosis | None = None,
        signed_content: bytes | None = None,
        expected: tuple[str, ...] = (),
        received: tuple[str, ...] = (),
        timestamp: int | None = None,
    ) -> Verification:
        return Verification(
            scheme=self.name,
            reason=reason,
            detail=_sentence(detail),
            signed_content=signed_content,
            expected=expected,
            received=received,
            diagnosis=diagnosis,
            timestamp=timestamp,
        )


def _secret_list(secret: Secrets) -> list[str]:
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets or not all(secrets):
        raise SigningInputError("the secret is empty")
    return secrets


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
