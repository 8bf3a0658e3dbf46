"""The `v0` envelope that Slack and Zoom share: a timestamp header, and a signature header
`v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">`."""

from __future__ import annotations

import re

from hookscope.core.model import header_values
from hookscope.core.signing.headers import (
    HeaderError,
    HeaderList,
    only_value,
    parse_unix_seconds,
    wire_bytes,
)
from hookscope.core.signing.hmac_scheme import HmacScheme
from hookscope.core.signing.result import Reason
from hookscope.core.signing.scheme import Presented

__all__ = ["V0Scheme"]

_VERSIONED = re.compile(r"(v\d+)=")


class V0Scheme(HmacScheme):
    signed_parts = "v0:{timestamp}:{body}"
    encoding = "hex"
    tolerance = 300.0
    signs_timestamp = True
    single_signature = True

    def read(self, headers: HeaderList) -> Presented:
        names = (self.timestamp_header, self.signature_header)
        missing = [name for name in names if not any(header_values(headers, name))]
        if missing:
            raise HeaderError(Reason.MISSING_HEADER, f"The request has no {', '.join(missing)}")
        timestamp = parse_unix_seconds(
            only_value(headers, self.timestamp_header), self.timestamp_header
        )
        entries = tuple(v for v in header_values(headers, self.signature_header) if v)
        signatures = tuple(e[3:] for e in entries if e.startswith("v0="))
        if signatures:
            return Presented(entries, signatures, timestamp=timestamp)
        versions = sorted({m.group(1) for e in entries if (m := _VERSIONED.match(e))})
        if versions:
            raise HeaderError(
                Reason.UNSUPPORTED_VERSION,
                f"{self.signature_header} holds only {', '.join(versions)} signatures; v0 is "
                "checked",
            )
        raise HeaderError(
            Reason.MALFORMED_HEADER, f"{self.signature_header} must be v0=<hex signature>"
        )

    def signed_contents(self, body: bytes, presented: Presented, url: str) -> list[bytes]:
        assert presented.timestamp is not None
        return [b"v0:" + wire_bytes(presented.timestamp) + b":" + body]

    def write(self, signatures: list[str], presented: Presented) -> list[tuple[str, str]]:
        assert presented.timestamp is not None
        return [
            (self.timestamp_header, presented.timestamp),
            (self.signature_header, f"v0={signatures[0]}"),
        ]

    def entry(self, signature: str) -> str:
        return f"v0={signature}"
