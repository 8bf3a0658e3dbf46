"""Agreement with the providers' own libraries, on random bodies: hookscope signs and they
verify; they sign and hookscope verifies. Their verifiers read the real clock, so signatures
are made at the current time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime

import pytest
import standardwebhooks
import stripe
import svix.webhooks
from hypothesis import given, settings
from hypothesis import strategies as st

from hookscope.core.signing import SCHEMES

# The libraries take the body as text, so bodies are any text (UTF-8 on the wire).
bodies = st.text(max_size=2000).map(lambda text: text.encode("utf-8"))
keys = st.binary(min_size=24, max_size=64).map(
    lambda raw: "whsec_" + base64.b64encode(raw).decode()
)
msg_ids = st.from_regex(r"msg_[A-Za-z0-9]{1,32}", fullmatch=True)
stripe_secrets = st.from_regex(r"whsec_[A-Za-z0-9]{8,40}", fullmatch=True)
EXAMPLES = settings(max_examples=50, deadline=None)


@EXAMPLES
@given(body=bodies, secret=keys, msg_id=msg_ids)
def test_standardwebhooks_verifies_what_hookscope_signs(
    body: bytes, secret: str, msg_id: str
) -> None:
    headers = SCHEMES["standard-webhooks"].sign(
        body, secret, msg_id=msg_id, timestamp=int(time.time())
    )
    standardwebhooks.Webhook(secret).verify(body, dict(headers), json_parse=False)


@EXAMPLES
@given(body=bodies, secret=keys, msg_id=msg_ids)
def test_hookscope_verifies_what_standardwebhooks_signs(
    body: bytes, secret: str, msg_id: str
) -> None:
    now = int(time.time())
    signature = standardwebhooks.Webhook(secret).sign(
        msg_id, datetime.fromtimestamp(now, tz=UTC), body.decode("utf-8")
    )
    headers = [
        ("webhook-id", msg_id),
        ("webhook-timestamp", str(now)),
        ("webhook-signature", signature),
    ]
    verdict = SCHEMES["standard-webhooks"].verify(headers, body, secret, now=now)
    assert verdict.valid, verdict.detail


@EXAMPLES
@given(body=bodies, old=keys, new=keys, msg_id=msg_ids)
def test_standardwebhooks_accepts_hookscopes_rotation_signatures(
    body: bytes, old: str, new: str, msg_id: str
) -> None:
    headers = dict(
        SCHEMES["standard-webhooks"].sign(
            body, [old, new], msg_id=msg_id, timestamp=int(time.time())
        )
    )
    for secret in (old, new):
        standardwebhooks.Webhook(secret).verify(body, headers, json_parse=False)


@EXAMPLES
@given(body=bodies, secret=keys, msg_id=msg_ids)
def test_svix_verifies_what_hookscope_signs(body: bytes, secret: str, msg_id: str) -> None:
    headers = SCHEMES["svix"].sign(body, secret, msg_id=msg_id, timestamp=int(time.time()))
    assert {name for name, _ in headers} == {"svix-id", "svix-timestamp", "svix-signature"}
    svix.webhooks.Webhook(secret).verify(body, dict(headers))


@EXAMPLES
@given(body=bodies, secret=keys, msg_id=msg_ids)
def test_hookscope_verifies_what_svix_signs(body: bytes, secret: str, msg_id: str) -> None:
    now = int(time.time())
    signature = svix.webhooks.Webhook(secret).sign(
        msg_id, datetime.fromtimestamp(now, tz=UTC), body.decode("utf-8")
    )
    headers = [("svix-id", msg_id), ("svix-timestamp", str(now)), ("svix-signature", signature)]
    verdict = SCHEMES["svix"].verify(headers, body, secret, now=now)
    assert verdict.valid, verdict.detail


@EXAMPLES
@given(body=bodies, secret=stripe_secrets)
def test_stripe_verifies_what_hookscope_signs(body: bytes, secret: str) -> None:
    headers = SCHEMES["stripe"].sign(body, secret, timestamp=int(time.time()))
    assert stripe.WebhookSignature.verify_header(
        body, dict(headers)["Stripe-Signature"], secret, tolerance=300
    )


@EXAMPLES
@given(body=bodies, secret=stripe_secrets)
def test_hookscope_verifies_what_stripe_signs(body: bytes, secret: str) -> None:
    now = int(time.time())
    header = stripe.WebhookSignature.generate_signature_header(
        body.decode("utf-8"), secret, timestamp=now
    )
    verdict = SCHEMES["stripe"].verify([("Stripe-Signature", header)], body, secret, now=now)
    assert verdict.valid, verdict.detail


@EXAMPLES
@given(body=bodies, secret=stripe_secrets)
def test_stripe_and_hookscope_agree_on_tampered_bodies(body: bytes, secret: str) -> None:
    now = int(time.time())
    header = stripe.WebhookSignature.generate_signature_header(
        body.decode("utf-8"), secret, timestamp=now
    )
    tampered = body + b"!"
    verdict = SCHEMES["stripe"].verify(
        [("Stripe-Signature", header)], tampered, secret, now=now, diagnose=False
    )
    assert not verdict.valid
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(tampered, header, secret, tolerance=300)


def test_stripe_rejects_what_hookscope_diagnoses_as_a_secret_decoding_mistake() -> None:
    # A sender that reads a whsec_ secret the Standard Webhooks way, for Stripe.
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    body = b'{"id":"evt_1"}'
    now = int(time.time())
    key = base64.b64decode(secret.removeprefix("whsec_"))
    header = f"t={now},v1={hmac.new(key, f'{now}.'.encode() + body, hashlib.sha256).hexdigest()}"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(body, header, secret, tolerance=300)
    verdict = SCHEMES["stripe"].verify([("Stripe-Signature", header)], body, secret, now=now)
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.code == "secret-decoding"
