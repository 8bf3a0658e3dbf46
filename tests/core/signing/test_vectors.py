"""The test vectors that providers publish in their docs and their libraries' tests."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hookscope.core.signing import SCHEMES, Reason

# standard-webhooks/standard-webhooks libraries/python/tests/test_webhooks.py
SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SW_TIMESTAMP = 1614265330
SW_PAYLOAD = b'{"test": 2432232314}'
SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def sw_headers(signature: str) -> list[tuple[str, str]]:
    return [
        ("webhook-id", SW_ID),
        ("webhook-timestamp", str(SW_TIMESTAMP)),
        ("webhook-signature", signature),
    ]


def test_standard_webhooks_sign_vector() -> None:
    headers = SCHEMES["standard-webhooks"].sign(
        SW_PAYLOAD, SW_SECRET, msg_id=SW_ID, timestamp=SW_TIMESTAMP
    )
    assert headers == sw_headers(SW_SIGNATURE)


@pytest.mark.parametrize("secret", [SW_SECRET, SW_SECRET.removeprefix("whsec_")])
def test_standard_webhooks_verify_vector_with_and_without_prefix(secret: str) -> None:
    verdict = SCHEMES["standard-webhooks"].verify(
        sw_headers(SW_SIGNATURE), SW_PAYLOAD, secret, now=SW_TIMESTAMP
    )
    assert verdict.reason is Reason.OK, verdict.detail


def test_standard_webhooks_rejects_the_libraries_invalid_signature() -> None:
    # The library's own negative case: the last base64 character changed.
    bad = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="
    verdict = SCHEMES["standard-webhooks"].verify(
        sw_headers(bad), SW_PAYLOAD, SW_SECRET, now=SW_TIMESTAMP
    )
    assert verdict.reason is Reason.BAD_SIGNATURE


def test_standard_webhooks_multi_signature_vector() -> None:
    # The library's rotation case: bad v1, unknown v2, the valid one, bad v1 again.
    entries = [
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        SW_SIGNATURE,
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
    ]
    verdict = SCHEMES["standard-webhooks"].verify(
        sw_headers(" ".join(entries)), SW_PAYLOAD, SW_SECRET, now=SW_TIMESTAMP
    )
    assert verdict.reason is Reason.OK, verdict.detail


# standard-webhooks/standard-webhooks libraries/go/webhook_asymmetric_test.go
V1A_SEED = "VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk="
V1A_SIGNATURE = (
    "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag=="
)


@pytest.mark.parametrize("key", [V1A_SEED, "whsk_" + V1A_SEED])
def test_standard_webhooks_v1a_sign_vector(key: str) -> None:
    headers = SCHEMES["standard-webhooks-v1a"].sign(
        SW_PAYLOAD, key, msg_id=SW_ID, timestamp=SW_TIMESTAMP
    )
    assert headers == sw_headers(V1A_SIGNATURE)


def test_standard_webhooks_v1a_verifies_vector_with_public_key() -> None:
    seed = base64.b64decode(V1A_SEED)
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    whpk = "whpk_" + base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    scheme = SCHEMES["standard-webhooks-v1a"]
    ok = scheme.verify(sw_headers(V1A_SIGNATURE), SW_PAYLOAD, whpk, now=SW_TIMESTAMP)
    assert ok.reason is Reason.OK, ok.detail
    tampered = scheme.verify(sw_headers(V1A_SIGNATURE), SW_PAYLOAD + b" ", whpk, now=SW_TIMESTAMP)
    assert tampered.reason is Reason.BAD_SIGNATURE


# docs.github.com, "Validating webhook deliveries": the documented test values.
def test_github_documented_example() -> None:
    body = b"Hello, World!"
    secret = "It's a Secret to Everybody"
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    headers = SCHEMES["github"].sign(body, secret)
    assert headers[0] == ("X-Hub-Signature-256", expected)
    verdict = SCHEMES["github"].verify([("X-Hub-Signature-256", expected)], body, secret)
    assert verdict.reason is Reason.OK


# Slack's "Verifying requests from Slack" example, as in python-slack-sdk's tests.
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_TIMESTAMP = 1531420618
SLACK_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    b"G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    b"collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F39770088"
    b"5554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447f"
    b"ce8b6703c"
)
SLACK_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_slack_documented_example() -> None:
    scheme = SCHEMES["slack"]
    headers = scheme.sign(SLACK_BODY, SLACK_SECRET, timestamp=SLACK_TIMESTAMP)
    assert headers == [
        ("X-Slack-Request-Timestamp", str(SLACK_TIMESTAMP)),
        ("X-Slack-Signature", SLACK_SIGNATURE),
    ]
    assert scheme.verify(headers, SLACK_BODY, SLACK_SECRET, now=SLACK_TIMESTAMP).valid
    tampered = scheme.verify(headers, SLACK_BODY + b"------", SLACK_SECRET, now=SLACK_TIMESTAMP)
    assert tampered.reason is Reason.BAD_SIGNATURE
    # slack_sdk checks the clock both ways; the real clock is years past this example.
    assert scheme.verify(headers, SLACK_BODY, SLACK_SECRET).reason is Reason.TIMESTAMP_TOO_OLD


# twilio/twilio-python tests/unit/test_request_validator.py
TWILIO_TOKEN = "12345"
TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
    "Caller": "+14158675309",
}
TWILIO_FORM = urlencode(TWILIO_PARAMS).encode()


def twilio_verify(url: str, body: bytes, signature: str) -> Reason:
    headers = [("X-Twilio-Signature", signature)]
    return SCHEMES["twilio"].verify(headers, body, TWILIO_TOKEN, url=url).reason


def test_twilio_form_vector() -> None:
    headers = SCHEMES["twilio"].sign(TWILIO_FORM, TWILIO_TOKEN, url=TWILIO_URL)
    assert headers == [("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    assert twilio_verify(TWILIO_URL, TWILIO_FORM, "RSOYDt4T1cUTdK1PDd93/VVr8B8=") is Reason.OK


def test_twilio_repeated_parameters_vector() -> None:
    body = b"Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234"
    headers = SCHEMES["twilio"].sign(body, TWILIO_TOKEN, url=TWILIO_URL)
    assert headers == [("X-Twilio-Signature", "IK+Dwps556ElfBT0I3Rgjkr1wJU=")]


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        # removes the port on https: signed without it
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        # keeps a non-default port on http: signed with it
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        # adds :443 on https
        (TWILIO_URL, "kvajT1Ptam85bY51eRf/AJRuM3w="),
        # adds :80 on http
        ("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
    ],
)
def test_twilio_port_vectors(url: str, signature: str) -> None:
    assert twilio_verify(url, TWILIO_FORM, signature) is Reason.OK


def test_twilio_json_body_vector() -> None:
    body = b'{"property": "value", "boolean": true}'
    body_hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    url = f"{TWILIO_URL}&bodySHA256={body_hash}"
    assert twilio_verify(url, body, "a9nBmqA0ju/hNViExpshrM61xv4=") is Reason.OK
    headers = SCHEMES["twilio"].sign(body, TWILIO_TOKEN, url=url)
    assert headers == [("X-Twilio-Signature", "a9nBmqA0ju/hNViExpshrM61xv4=")]
    # The URL still matches, but the body no longer hashes to bodySHA256.
    assert twilio_verify(url, body + b" ", "a9nBmqA0ju/hNViExpshrM61xv4=") is Reason.BAD_SIGNATURE
