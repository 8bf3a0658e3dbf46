"""The simplest envelope: one header holding one signature, optionally after a prefix such as
`sha256=`, over the body alone (GitHub, Shopify, Intercom, Linear) or the URL and body (Square)."""

from __future__ import annotations

import re

from hookscope.core.model import header_values
from hookscope.core.signing.headers import HeaderError, HeaderList
from hookscope.core.signing.hmac_scheme import HmacScheme
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["HeaderHmacScheme"]

_ALGORITHM_PREFIX = re.compile(r"([a-z]+[0-9]*)=")


class HeaderHmacScheme(HmacScheme):
    prefix = ""
    signed_parts = "{body}"
    single_signature = True

    def read(self, headers: HeaderList) -> Presented:
        name = self.signature_header
        entries = tuple(v for v in header_values(headers, name) if v)
        if not entries:
            raise HeaderError(Reason.MISSING_HEADER, f"The request has no {name} header")
        if not self.prefix:
            return Presented(entries, entries)
        signatures = tuple(e[len(self.prefix) :] for e in entries if e.startswith(self.prefix))
        if signatures:
            return Presented(entries, signatures)
        others = sorted({m.group(0) for e in entries if (m := _ALGORITHM_PREFIX.match(e))})
        if others:
            raise HeaderError(
                Reason.UNSUPPORTED_VERSION,
                f"{name} holds {', '.join(others)} signatures; {self.name} checks {self.prefix}",
            )
        raise HeaderError(
            Reason.MALFORMED_HEADER, f"{name} must start with {self.prefix} (got {entries[0]!r})"
        )

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        return [body]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        return [(self.signature_header, self.prefix + signatures[0])]

    def entry(self, signature: str) -> str:
        return self.prefix + signature
