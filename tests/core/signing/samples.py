"""A signed sample request per scheme, and a way to sign like a mistaken sender would."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hookscope.core.signing import SCHEMES, GenericHmac, Scheme
from hookscope.core.signing.encodings import encode_signature
from hookscope.core.signing.scheme import Presented

NOW = 1_700_000_000
MSG_ID = "msg_2dVaZ7mKq1"
JSON_BODY = b'{"type":"invoice.paid","data":{"id":"in_1","amount":4200,"note":"caf\xc3\xa9"}}'
FORM_BODY = b"CallSid=CA1234567890ABCDE&From=%2B14158675309&Body=Hello+there&Digits=1234"


def _seed_pair(seed: bytes) -> tuple[bytes, bytes]:
    private = Ed25519PrivateKey.from_private_bytes(seed)
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return seed, public


_V1A_SEED, _V1A_PUBLIC = _seed_pair(bytes(range(32)))
_DISCORD_SEED, _DISCORD_PUBLIC = _seed_pair(bytes(range(100, 132)))
_WHSEC = "whsec_" + base64.b64encode(b"hookscope-test-key-0123456789abcdef").decode()
_WHSEC_OTHER = "whsec_" + base64.b64encode(b"another-key-entirely-0123456789abc").decode()


@dataclass(frozen=True)
class Sample:
    """How to sign and verify one scheme in tests."""

    name: str
    sign_secret: str
    verify_secret: str
    other_secret: str  # a valid secret of the right form that did not sign
    body: bytes = JSON_BODY
    url: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def scheme(self) -> Scheme[Any, Any]:
        if self.name == "hmac":
            return GenericHmac(**self.options)
        return SCHEMES[self.name]

    def sign(
        self, body: bytes | None = None, timestamp: int = NOW, **kw: Any
    ) -> list[tuple[str, str]]:
        return self.scheme.sign(
            self.body if body is None else body,
            kw.pop("secret", self.sign_secret),
            msg_id=MSG_ID,
            timestamp=timestamp,
            url=kw.pop("url", self.url),
        )

    def verify(self, headers: Any, body: bytes | None = None, **kw: Any) -> Any:
        kw.setdefault("url", self.url)
        kw.setdefault("now", NOW)
        return self.scheme.verify(
            headers, self.body if body is None else body, kw.pop("secret", self.verify_secret), **kw
        )


SAMPLES = {
    s.name: s
    for s in (
        Sample("standard-webhooks", _WHSEC, _WHSEC, _WHSEC_OTHER),
        Sample(
            "standard-webhooks-v1a",
            "whsk_" + base64.b64encode(_V1A_SEED).decode(),
            "whpk_" + base64.b64encode(_V1A_PUBLIC).decode(),
            "whpk_" + base64.b64encode(_DISCORD_PUBLIC).decode(),
        ),
        Sample("svix", _WHSEC, _WHSEC, _WHSEC_OTHER),
        Sample("stripe", "whsec_test_5Tq9yE2dWvR8kL3m", "whsec_test_5Tq9yE2dWvR8kL3m", "whsec_x"),
        Sample("github", "It's a Secret to Everybody", "It's a Secret to Everybody", "other"),
        Sample("github-sha1", "gh-legacy-secret", "gh-legacy-secret", "other"),
        Sample("shopify", "shpss_0123456789abcdef", "shpss_0123456789abcdef", "other"),
        Sample(
            "slack", "8f742231b10e8888abcd99aaaeee85a5", "8f742231b10e8888abcd99aaaeee85a5", "o"
        ),
        Sample(
            "twilio",
            "12345",
            "12345",
            "54321",
            body=FORM_BODY,
            url="https://mycompany.com/myapp.php?foo=1&bar=2",
        ),
        Sample("square", "sq-sig-key", "sq-sig-key", "other", url="https://example.com/square/"),
        Sample("paddle", "pdl_ntfset_01h", "pdl_ntfset_01h", "other"),
        Sample("zoom", "zoom-secret-token", "zoom-secret-token", "other"),
        Sample("discord", _DISCORD_SEED.hex(), _DISCORD_PUBLIC.hex(), _V1A_PUBLIC.hex()),
        Sample(
            "linear",
            "lin_wh_secret",
            "lin_wh_secret",
            "other",
            body=b'{"action":"create","webhookTimestamp":%d}' % (NOW * 1000),
        ),
        Sample("intercom", "intercom-client-secret", "intercom-client-secret", "other"),
        Sample(
            "hmac",
            "generic-secret",
            "generic-secret",
            "other",
            options={
                "header": "X-Acme-Signature",
                "algorithm": "sha512",
                "encoding": "base64",
                "template": "{timestamp}.{id}.{body}",
                "prefix": "v1=",
                "timestamp_header": "X-Acme-Timestamp",
                "id_header": "X-Acme-Id",
            },
        ),
    )
}


def sign_with_key(
    scheme: Scheme[Any, Any], key: Any, body: bytes, *, timestamp: int = NOW, url: str = ""
) -> list[tuple[str, str]]:
    """Sign with an already-decoded key, as a sender that decodes the secret its own way."""
    presented = Presented(
        (),
        (),
        timestamp=str(timestamp) if scheme.signs_timestamp else None,
        msg_id=MSG_ID if scheme.signs_id else None,
    )
    content = scheme.signing_content(body, presented, url)
    signature = encode_signature(scheme.make_signature(key, content), scheme.encoding)
    return scheme.write([signature], presented)


def replace_header(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(k, value if k.lower() == name.lower() else v) for k, v in headers]
