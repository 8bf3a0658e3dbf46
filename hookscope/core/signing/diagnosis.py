"""Why a signature fails: re-check it under each usual mistake and name the one that fits.

Each hypothesis changes one input (the body, the key, the URL, the timestamp, the scheme) and
asks the scheme whether the presented signature then holds. A hypothesis that holds is the
explanation; none holding means the secret is wrong or the body changed beyond recognition.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hookscope.core.signing.encodings import Encoding, encode_signature
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import HeaderList, wire_bytes
from hookscope.core.signing.result import Diagnosis
from hookscope.core.signing.variants import json_variants, newline_variants, url_variants

if TYPE_CHECKING:  # types only: the scheme calls in here, so this module never imports it
    from hookscope.core.signing.scheme import Presented, Scheme

__all__ = ["Case", "detected_hint", "diagnose", "misencoded", "other_scheme"]

_MAX_JSON_BODY = 8 * 1024 * 1024
# The timestamp search hashes the body once per candidate: bound the bytes, and the shift.
_TIMESTAMP_BUDGET_BYTES = 32 * 1024 * 1024
_MAX_TIMESTAMP_SHIFT = 3600


@dataclass(frozen=True, slots=True)
class Case:
    """One failed verification, with everything needed to re-check it."""

    scheme: Scheme[Any, Any]
    keys: Sequence[Any]
    secrets: Sequence[str]
    headers: HeaderList
    body: bytes
    presented: Presented
    url: str
    # The other schemes a failure may really be (the registry's): passed in, never looked up.
    candidates: Mapping[str, Scheme[Any, Any]] = field(default_factory=dict)

    def holds(
        self,
        *,
        body: bytes | None = None,
        keys: Sequence[Any] | None = None,
        presented: Presented | None = None,
        url: str | None = None,
    ) -> bool:
        return self.scheme.holds(
            self.keys if keys is None else keys,
            self.body if body is None else body,
            self.presented if presented is None else presented,
            self.url if url is None else url,
        )


def diagnose(case: Case) -> Diagnosis | None:
    """The first usual mistake under which the signature holds, cheapest checks first."""
    for hypothesis in _HYPOTHESES:
        found = hypothesis(case)
        if found is not None:
            return found
    return None


def _reserialised(case: Case) -> Diagnosis | None:
    if len(case.body) > _MAX_JSON_BODY:
        return None
    try:
        document = json.loads(case.body)
    except (ValueError, RecursionError):
        return None
    for label, candidate in json_variants(document):
        for newline in (b"", b"\n"):
            text = candidate + newline
            if text != case.body and case.holds(body=text):
                with_newline = " with a final newline" if newline else ""
                return Diagnosis(
                    "body-reserialised",
                    f"The signature matches the same JSON written {label}{with_newline}, not "
                    "the bytes received: the body was parsed and serialised again between "
                    "signing and verifying (by a framework, a proxy or the sender's code). "
                    "Sign and verify the raw bytes exactly as sent.",
                )
    return None


def _trailing_newline(case: Case) -> Diagnosis | None:
    for label, candidate in newline_variants(case.body):
        if case.holds(body=candidate):
            return Diagnosis(
                "trailing-newline",
                f"The signature matches the body {label}: a newline was added or removed "
                "after signing (echo and most editors end a file with one; printf '%s' does "
                "not).",
            )
    return None


def _secret_decoding(case: Case) -> Diagnosis | None:
    for secret in case.secrets:
        for label, key in case.scheme.alternative_keys(secret):
            if case.holds(keys=[key]):
                return Diagnosis(
                    "secret-decoding",
                    f"The signature was made with {label} as the key, but "
                    f"{case.scheme.name} uses {case.scheme.secret_format}: the signer (or the "
                    "verifying code) decodes the secret the wrong way.",
                )
    return None


def misencoded(case: Case) -> Diagnosis | None:
    """The right digest in the other encoding (hex where base64 belongs, or the reverse)."""
    scheme = case.scheme
    other: Encoding = "base64" if scheme.encoding == "hex" else "hex"
    received = [wire_bytes(text) for text in case.presented.signatures]
    for content in scheme.signed_contents(case.body, case.presented, case.url):
        for key in case.keys:
            raw = scheme.expected_signature(key, content, case.presented)
            if raw is None:
                return None
            wrong = encode_signature(raw, other).encode("ascii")
            for text in received:
                if hmac.compare_digest(text.lower() if other == "hex" else text, wrong):
                    return Diagnosis(
                        "signature-encoding",
                        f"The signature is right but written in {other}; {scheme.name} writes "
                        f"it in {scheme.encoding}: the signer encodes the digest the wrong way.",
                    )
    return None


def _url_mismatch(case: Case) -> Diagnosis | None:
    scheme = case.scheme
    if not scheme.needs_url:
        return None
    candidates = scheme.url_variants(case.url, case.body) + url_variants(case.url)
    for label, candidate in candidates:
        if candidate != case.url and case.holds(url=candidate):
            return Diagnosis(
                "url-mismatch",
                f"The signature matches the URL {candidate} ({label}), not {case.url}: "
                f"{scheme.name} signs the URL exactly as configured at the provider, and behind "
                "a proxy or tunnel the scheme, host, port or path that the server sees can "
                "differ. Verify with the URL the provider has.",
            )
    return None


def _wrong_scheme(case: Case) -> Diagnosis | None:
    return other_scheme(
        case.scheme, case.candidates, case.headers, case.body, case.secrets, case.url
    )


def _timestamp_changed(case: Case) -> Diagnosis | None:
    scheme, presented = case.scheme, case.presented
    if not scheme.signs_timestamp or presented.timestamp is None:
        return None
    stated = int(presented.timestamp)
    where = scheme.timestamp_header or "the timestamp header"
    cost = len(case.body) + 64 + scheme.check_overhead
    shift = min(_MAX_TIMESTAMP_SHIFT, _TIMESTAMP_BUDGET_BYTES // cost)
    units = [(stated * 1000, "in milliseconds")]
    if stated > 10**11:
        units.append((stated // 1000, "in seconds"))
    for candidate, unit in units:
        if case.holds(presented=replace(presented, timestamp=str(candidate))):
            return Diagnosis(
                "timestamp-changed",
                f"The signature was made over the timestamp {unit} ({candidate}), but {where} "
                f"says {stated}: the signer and the header disagree on the unit.",
            )
    for distance in range(1, shift + 1):
        for candidate in (stated - distance, stated + distance):
            if candidate >= 0 and case.holds(
                presented=replace(presented, timestamp=str(candidate))
            ):
                direction = "after" if stated > candidate else "before"
                return Diagnosis(
                    "timestamp-changed",
                    f"The signature matches timestamp {candidate}, but {where} says {stated} "
                    f"({distance} s {direction} it): the timestamp was changed after signing, "
                    "for example by a retry that refreshed it without signing again.",
                )
    return None


_HYPOTHESES: tuple[Callable[[Case], Diagnosis | None], ...] = (
    _trailing_newline,
    _reserialised,
    _secret_decoding,
    misencoded,
    _url_mismatch,
    _wrong_scheme,
    _timestamp_changed,
)


def other_scheme(
    scheme: Scheme[Any, Any],
    candidates: Mapping[str, Scheme[Any, Any]],
    headers: HeaderList,
    body: bytes,
    secrets: Sequence[str],
    url: str,
) -> Diagnosis | None:
    """Another of the `candidates` whose headers are present and that verifies the request."""
    for name, other in candidates.items():
        if name == scheme.name or not other.detect(headers):
            continue
        try:
            verdict = other.verify(headers, body, secrets, url=url, tolerance=0, diagnose=False)
        except SigningInputError:  # the secret or URL does not fit that scheme at all
            continue
        if verdict.valid:
            return Diagnosis(
                "wrong-scheme",
                f"The request verifies as {other.name} ({other.title}) with this secret: "
                f"check it with {other.name}, not {scheme.name}.",
            )
    return None


def detected_hint(
    scheme: Scheme[Any, Any], candidates: Mapping[str, Scheme[Any, Any]], headers: HeaderList
) -> str:
    """A pointer to the `candidates` whose headers the request does carry."""
    names = [n for n, s in candidates.items() if n != scheme.name and s.detect(headers)]
    if not names:
        return ""
    return f"The request carries the headers of: {', '.join(names)}."
