"""A generic HMAC for providers without a scheme of their own: the header that carries the
signature, the digest, the encoding, an optional prefix, and a template of what is signed, with
`{body}`, `{timestamp}`, `{id}` and `{url}` (write `{{` and `}}` for literal braces)."""

from __future__ import annotations

import re
import string

from hookscope.core.model import header_values
from hookscope.core.signing.encodings import Encoding
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import (
    HeaderError,
    HeaderList,
    parse_unix_seconds,
    wire_bytes,
)
from hookscope.core.signing.hmac_scheme import HmacScheme
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["ALGORITHMS", "ENCODINGS", "GenericHmac"]

ALGORITHMS = ("sha1", "sha256", "sha512")
ENCODINGS: tuple[Encoding, ...] = ("hex", "base64")
_FIELDS = ("body", "timestamp", "id", "url")
_SPLIT = re.compile(r"[,\s]+")


class GenericHmac(HmacScheme):
    name = "hmac"
    title = "Generic HMAC (your header, digest, encoding, template and prefix)"
    detect_headers = ()  # never guessed: the user describes it

    def __init__(
        self,
        header: str = "X-Signature",
        algorithm: str = "sha256",
        encoding: str = "hex",
        template: str = "{body}",
        prefix: str = "",
        timestamp_header: str = "",
        id_header: str = "",
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise SigningInputError(f"the algorithm is one of {', '.join(ALGORITHMS)}")
        if encoding not in ENCODINGS:
            raise SigningInputError(f"the encoding is one of {', '.join(ENCODINGS)}")
        if not header.strip():
            raise SigningInputError("give the name of the header that carries the signature")
        self._parts = _parse_template(template)
        fields = {field for _, field in self._parts if field}
        for field, named in (("timestamp", timestamp_header), ("id", id_header)):
            if field in fields and not named:
                raise SigningInputError(
                    f"the template signs {{{field}}}: name the header that carries it "
                    f"(--{field}-header)"
                )
        self.digest = algorithm
        self.encoding = "hex" if encoding == "hex" else "base64"
        self.prefix = prefix
        self.signature_header = header
        self.timestamp_header = timestamp_header if "timestamp" in fields else ""
        self.id_header = id_header if "id" in fields else ""
        self.headers = tuple(h for h in (self.id_header, self.timestamp_header, header) if h)
        self.signed_parts = template
        self.secret_format = "the secret string as UTF-8 text"
        self.signs_timestamp = "timestamp" in fields
        self.signs_id = "id" in fields
        self.needs_url = "url" in fields
        self.tolerance = 300.0 if self.signs_timestamp else None

    def read(self, headers: HeaderList) -> Presented:
        names = [self.id_header, self.timestamp_header, self.signature_header]
        missing = [n for n in names if n and not any(header_values(headers, n))]
        if missing:
            raise HeaderError(Reason.MISSING_HEADER, f"The request has no {', '.join(missing)}")
        timestamp = None
        if self.timestamp_header:
            text = header_values(headers, self.timestamp_header)[0]
            timestamp = parse_unix_seconds(text, self.timestamp_header)
        msg_id = header_values(headers, self.id_header)[0] if self.id_header else None
        values = header_values(headers, self.signature_header)
        entries = tuple(e for v in values for e in _SPLIT.split(v) if e)
        signatures = tuple(e[len(self.prefix) :] for e in entries if e.startswith(self.prefix))
        if not signatures:
            raise HeaderError(
                Reason.MALFORMED_HEADER,
                f"{self.signature_header} must start with {self.prefix!r} (got {values[0]!r})",
            )
        return Presented(entries, signatures, timestamp=timestamp, msg_id=msg_id)

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        values = {
            "body": body,
            "timestamp": wire_bytes(presented.timestamp or ""),
            "id": wire_bytes(presented.msg_id or ""),
            "url": url.encode("utf-8"),
        }
        return [
            b"".join(
                literal.encode("utf-8") + values.get(field, b"") for literal, field in self._parts
            )
        ]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        headers: list[tuple[str, str]] = []
        if self.id_header and presented.msg_id is not None:
            headers.append((self.id_header, presented.msg_id))
        if self.timestamp_header and presented.timestamp is not None:
            headers.append((self.timestamp_header, presented.timestamp))
        headers.append((self.signature_header, ",".join(self.prefix + s for s in signatures)))
        return headers

    def entry(self, signature: str) -> str:
        return self.prefix + signature


def _parse_template(template: str) -> list[tuple[str, str]]:
    """(literal text, field name or "") pairs; unknown fields are a user error."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise SigningInputError(f"the template {template!r} is not valid: {exc}") from None
    parts: list[tuple[str, str]] = []
    for literal, field, spec, conversion in parsed:
        if field is not None and (field not in _FIELDS or spec or conversion):
            raise SigningInputError(
                f"the template may use {', '.join('{' + f + '}' for f in _FIELDS)}, not {{{field}}}"
            )
        parts.append((literal, field or ""))
    return parts
