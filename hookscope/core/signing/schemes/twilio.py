"""Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1>` keyed by the Auth Token, over the full URL
Twilio called followed by the form parameters (names sorted, each name then its values, sorted).
For a JSON body Twilio puts `bodySHA256=<hex SHA-256 of the body>` in the URL and signs the URL
alone. Like Twilio's libraries, the URL is tried with and without its port, because Twilio is
known to sign either form. `X-Twilio-Webhooks-Signature-Settings: …,algorithm=HMAC_SHA256`
(Webhooks Rules) switches the digest to SHA-256."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qs, parse_qsl, urlsplit

from hookscope.core.model import header_values
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import HeaderError, HeaderList
from hookscope.core.signing.hmac_scheme import HmacScheme
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["Twilio", "port_variants", "with_body_hash"]

_DIGESTS = {"HMAC_SHA1": "sha1", "HMAC_SHA256": "sha256"}


class Twilio(HmacScheme):
    name = "twilio"
    title = "Twilio"
    headers = ("X-Twilio-Signature",)
    detect_headers = headers
    signature_header = "X-Twilio-Signature"
    signed_parts = "{url}{name}{value}… (form); {url} with bodySHA256 (JSON)"
    secret_format = "the Auth Token as UTF-8 text"
    digest = "sha1"
    encoding = "base64"
    needs_url = True
    single_signature = True

    def read(self, headers: HeaderList) -> Presented:
        entries = tuple(v for v in header_values(headers, self.signature_header) if v)
        if not entries:
            raise HeaderError(Reason.MISSING_HEADER, "The request has no X-Twilio-Signature")
        algorithm = None
        for settings in header_values(headers, "X-Twilio-Webhooks-Signature-Settings"):
            for item in settings.split(","):
                key, _, value = item.strip().partition("=")
                if key == "algorithm" and value in _DIGESTS:
                    algorithm = _DIGESTS[value]
        return Presented(entries, entries, algorithm=algorithm)

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        tail = b"" if _declared_hash(url) is not None else _form_string(body, strict=False)
        return [variant.encode("utf-8") + tail for variant in port_variants(url)]

    def signing_content(self, body: bytes, presented: Presented, url: str) -> bytes:
        declared = _declared_hash(url)
        actual = hashlib.sha256(body).hexdigest()
        if declared is not None:
            if declared != actual:
                raise SigningInputError(
                    f"bodySHA256 in the URL is {declared}, but this body hashes to {actual}"
                )
            return url.encode("utf-8")
        if body.lstrip()[:1] in (b"{", b"["):
            raise SigningInputError(
                "twilio signs a JSON body through its hash in the URL: add "
                f"bodySHA256={actual} to the URL's query"
            )
        return url.encode("utf-8") + _form_string(body, strict=True)

    def body_problem(self, body: bytes, presented: Presented, url: str) -> str | None:
        declared = _declared_hash(url)
        if declared is None:
            return None
        actual = hashlib.sha256(body).hexdigest()
        if hmac.compare_digest(declared.encode(), actual.encode()):
            return None
        return (
            f"The signature matches the URL, but the body hashes to {actual}, not the "
            f"bodySHA256 {declared} in the URL: the body changed after signing."
        )

    def url_variants(self, url: str, body: bytes) -> list[tuple[str, str]]:
        if _declared_hash(url) is not None:
            parts = urlsplit(url)
            kept = "&".join(p for p in parts.query.split("&") if not p.startswith("bodySHA256="))
            return [
                (
                    "without bodySHA256 (signed as form parameters)",
                    parts._replace(query=kept).geturl(),
                )
            ]
        return [("with bodySHA256 added (Twilio's JSON variant)", with_body_hash(url, body))]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        return [(self.signature_header, signatures[0])]


def with_body_hash(url: str, body: bytes) -> str:
    """`url` with the `bodySHA256` parameter Twilio adds for a JSON body."""
    separator = "&" if urlsplit(url).query else "?"
    return f"{url}{separator}bodySHA256={hashlib.sha256(body).hexdigest()}"


def port_variants(url: str) -> list[str]:
    """`url` as given, then with its port removed, or the scheme's default port added
    (twilio-python's `remove_port`/`add_port`)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return [url]
    if not parts.netloc:
        return [url]
    if port is not None:
        netloc = parts.netloc.rsplit(":", 1)[0]
    else:
        netloc = f"{parts.netloc}:{443 if parts.scheme == 'https' else 80}"
    return [url, url.replace(parts.netloc, netloc, 1)]


def _declared_hash(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get("bodySHA256")
    return values[0] if values else None


def _form_string(body: bytes, *, strict: bool) -> bytes:
    """`name + value` for every form parameter, names sorted, each name's distinct values
    sorted (twilio-python's `sorted(set(...))`). Parsing here only reads the parameters that
    are signed; the body itself is never rewritten."""
    if not body:
        return b""
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=strict, errors="strict")
    except ValueError:
        if strict:
            raise SigningInputError(
                "twilio signs form parameters, and this body is not form-encoded "
                "(name=value&…); for a JSON body add bodySHA256 to the URL"
            ) from None
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
    grouped: dict[str, set[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, set()).add(value)
    text = "".join(key + value for key in sorted(grouped) for value in sorted(grouped[key]))
    return text.encode("utf-8")
