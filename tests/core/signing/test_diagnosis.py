"""Each usual mistake, made on purpose: the diagnosis must name it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from hookscope.core.signing import SCHEMES, GenericHmac, Reason, Verification
from hookscope.core.signing.variants import url_variants
from tests.core.factories import deep_json
from tests.core.signing.samples import MSG_ID, NOW, SAMPLES, replace_header

SECRET = SAMPLES["standard-webhooks"].sign_secret
DOCUMENT = {"type": "invoice.paid", "data": {"id": "in_1", "amount": 4200, "note": "café"}}
COMPACT = json.dumps(DOCUMENT, separators=(",", ":"), ensure_ascii=False).encode()


def sw_verify(signed_body: bytes, received_body: bytes, **kw: object) -> Verification:
    scheme = SCHEMES["standard-webhooks"]
    headers = scheme.sign(signed_body, SECRET, msg_id=MSG_ID, timestamp=NOW)
    return scheme.verify(headers, received_body, SECRET, now=NOW, **kw)  # type: ignore[arg-type]


def assert_diagnosed(verdict: Verification, code: str, *words: str) -> None:
    assert verdict.reason is Reason.BAD_SIGNATURE, verdict.detail
    assert verdict.diagnosis is not None, verdict.detail
    assert verdict.diagnosis.code == code, verdict.diagnosis
    for word in words:
        assert word in verdict.diagnosis.explanation, (word, verdict.diagnosis.explanation)
    assert verdict.diagnosis.explanation in verdict.detail


def test_body_reserialised_indented() -> None:
    received = json.dumps(DOCUMENT, indent=2, ensure_ascii=False).encode()
    assert_diagnosed(sw_verify(COMPACT, received), "body-reserialised", "compact")


def test_body_reserialised_by_a_sender_that_signed_pretty_json() -> None:
    signed = json.dumps(DOCUMENT, indent=4).encode()  # non-ASCII escaped, as json.dumps does
    verdict = sw_verify(signed, COMPACT)
    assert_diagnosed(verdict, "body-reserialised", "indented by 4", "non-ASCII characters escaped")


def test_body_reserialised_with_keys_in_another_order() -> None:
    signed = json.dumps(DOCUMENT, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    received = b'{"type":"invoice.paid","data":{"amount":4200,"id":"in_1","note":"caf\xc3\xa9"}}'
    assert signed.encode() != received
    assert_diagnosed(sw_verify(signed.encode(), received), "body-reserialised", "keys sorted")


def test_body_reserialised_is_found_through_twilios_body_hash() -> None:
    pretty = b'{\n  "a": 1\n}'
    compact = b'{"a":1}'
    url = "https://example.com/sms?bodySHA256=" + hashlib.sha256(compact).hexdigest()
    scheme = SCHEMES["twilio"]
    headers = scheme.sign(compact, "token", url=url)
    verdict = scheme.verify(headers, pretty, "token", url=url)
    assert_diagnosed(verdict, "body-reserialised", "compact")
    assert "bodySHA256" in verdict.detail


def test_trailing_newline_added_after_signing() -> None:
    verdict = sw_verify(COMPACT, COMPACT + b"\n")
    assert_diagnosed(verdict, "trailing-newline", "without the final newline")


def test_trailing_newline_removed_after_signing() -> None:
    sample = SAMPLES["github"]
    body = b"plain text body, not JSON"
    headers = sample.scheme.sign(body + b"\n", sample.sign_secret)
    verdict = sample.verify(headers, body)
    assert_diagnosed(verdict, "trailing-newline", "with a final newline")


def test_secret_base64_decoded_for_stripe() -> None:
    secret = SECRET  # whsec_ + base64, as Stripe and Standard Webhooks both show secrets
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signature = hmac.new(key, f"{NOW}.".encode() + COMPACT, hashlib.sha256).hexdigest()
    verdict = SCHEMES["stripe"].verify(
        [("Stripe-Signature", f"t={NOW},v1={signature}")], COMPACT, secret, now=NOW
    )
    assert_diagnosed(
        verdict, "secret-decoding", "base64-decoded after whsec_", "the whole whsec_… string"
    )


def test_secret_used_literally_for_standard_webhooks() -> None:
    content = f"{MSG_ID}.{NOW}.".encode() + COMPACT
    signature = base64.b64encode(hmac.new(SECRET.encode(), content, hashlib.sha256).digest())
    headers = [
        ("webhook-id", MSG_ID),
        ("webhook-timestamp", str(NOW)),
        ("webhook-signature", "v1," + signature.decode()),
    ]
    verdict = SCHEMES["standard-webhooks"].verify(headers, COMPACT, SECRET, now=NOW)
    assert_diagnosed(verdict, "secret-decoding", "the whole secret string", "base64-decoded")


def test_secret_hex_decoded_for_slack() -> None:
    secret = "8f742231b10e8888abcd99aaaeee85a5"  # looks like hex; Slack uses it as text
    content = f"v0:{NOW}:".encode() + COMPACT
    signature = hmac.new(bytes.fromhex(secret), content, hashlib.sha256).hexdigest()
    headers = [("X-Slack-Request-Timestamp", str(NOW)), ("X-Slack-Signature", "v0=" + signature)]
    verdict = SCHEMES["slack"].verify(headers, COMPACT, secret, now=NOW)
    assert_diagnosed(verdict, "secret-decoding", "hex-decoded")


def test_secret_with_a_stray_newline() -> None:
    sample = SAMPLES["shopify"]
    headers = sample.sign()
    verdict = sample.verify(headers, secret=sample.sign_secret + "\n")
    assert_diagnosed(verdict, "secret-decoding", "whitespace")


def test_wrong_scheme_for_a_misconfigured_generic_hmac() -> None:
    sample = SAMPLES["github"]
    headers = [*sample.sign(), ("X-Request-Time", str(NOW))]
    generic = GenericHmac(
        header="X-Hub-Signature-256",
        template="{timestamp}.{body}",
        prefix="sha256=",
        timestamp_header="X-Request-Time",
    )
    verdict = generic.verify(
        headers, sample.body, sample.sign_secret, now=NOW, candidates=SCHEMES
    )
    assert_diagnosed(verdict, "wrong-scheme", "github")


def test_wrong_scheme_when_the_chosen_schemes_header_is_missing() -> None:
    headers = SCHEMES["svix"].sign(COMPACT, SECRET, msg_id=MSG_ID, timestamp=NOW)
    verdict = SCHEMES["standard-webhooks"].verify(
        headers, COMPACT, SECRET, now=NOW, candidates=SCHEMES
    )
    assert verdict.reason is Reason.MISSING_HEADER
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.code == "wrong-scheme"
    assert "svix" in verdict.detail


def test_missing_header_names_the_schemes_present_even_when_they_fail() -> None:
    headers = SCHEMES["svix"].sign(COMPACT, SECRET, msg_id=MSG_ID, timestamp=NOW)
    verdict = SCHEMES["stripe"].verify(
        headers, COMPACT, "whsec_other", now=NOW, candidates=SCHEMES
    )
    assert verdict.reason is Reason.MISSING_HEADER
    assert verdict.diagnosis is None
    assert "carries the headers of: svix" in verdict.detail


def test_timestamp_changed_by_a_retry_without_re_signing() -> None:
    scheme = SCHEMES["standard-webhooks"]
    first_attempt = scheme.sign(COMPACT, SECRET, msg_id=MSG_ID, timestamp=NOW - 1805)
    retried = replace_header(first_attempt, "webhook-timestamp", str(NOW))
    verdict = scheme.verify(retried, COMPACT, SECRET, now=NOW)
    assert_diagnosed(verdict, "timestamp-changed", str(NOW - 1805), "1805 s")


def test_timestamp_signed_in_milliseconds() -> None:
    signature = hmac.new(
        b"whsec_x", f"{NOW * 1000}.".encode() + COMPACT, hashlib.sha256
    ).hexdigest()
    verdict = SCHEMES["stripe"].verify(
        [("Stripe-Signature", f"t={NOW},v1={signature}")], COMPACT, "whsec_x", now=NOW
    )
    assert_diagnosed(verdict, "timestamp-changed", "milliseconds")


def test_url_mismatch_trailing_slash_for_square() -> None:
    scheme = SCHEMES["square"]
    headers = scheme.sign(COMPACT, "key", url="https://example.com/square/")
    verdict = scheme.verify(headers, COMPACT, "key", url="https://example.com/square")
    assert_diagnosed(verdict, "url-mismatch", "https://example.com/square/", "trailing slash")


def test_url_mismatch_http_behind_a_tls_proxy_for_twilio() -> None:
    sample = SAMPLES["twilio"]
    headers = sample.sign()
    behind_proxy = sample.url.replace("https://", "http://")
    verdict = sample.verify(headers, url=behind_proxy)
    assert_diagnosed(verdict, "url-mismatch", "https instead of http")


def test_url_mismatch_query_dropped_for_twilio() -> None:
    # The provider was configured without a query; the server saw one added.
    sample = SAMPLES["twilio"]
    signed = sample.sign(url="https://mycompany.com/myapp.php")
    verdict = sample.verify(signed, url="https://mycompany.com/myapp.php?utm=1")
    assert_diagnosed(verdict, "url-mismatch", "without the query string")


def test_url_mismatch_json_body_without_body_hash_for_twilio() -> None:
    body = b'{"a":1}'
    url = "https://example.com/hook"
    hashed = f"{url}?bodySHA256={hashlib.sha256(body).hexdigest()}"
    headers = SCHEMES["twilio"].sign(body, "token", url=hashed)
    verdict = SCHEMES["twilio"].verify(headers, body, "token", url=url)
    assert_diagnosed(verdict, "url-mismatch", "bodySHA256")


def test_signature_written_in_hex_instead_of_base64() -> None:
    sample = SAMPLES["shopify"]
    digest = hmac.new(sample.sign_secret.encode(), sample.body, hashlib.sha256).hexdigest()
    verdict = sample.verify([("X-Shopify-Hmac-Sha256", digest)])
    assert_diagnosed(verdict, "signature-encoding", "hex", "base64")


def test_signature_written_in_base64_instead_of_hex() -> None:
    sample = SAMPLES["github"]
    digest = hmac.new(sample.sign_secret.encode(), sample.body, hashlib.sha256).digest()
    header = "sha256=" + base64.b64encode(digest).decode()
    verdict = sample.verify([("X-Hub-Signature-256", header)])
    # Base64 is not hex at all, so the header is malformed; the diagnosis still says why.
    assert verdict.reason is Reason.MALFORMED_HEADER
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.code == "signature-encoding"
    assert "written in base64" in verdict.detail


def test_no_usual_mistake_fits_a_wrong_secret() -> None:
    sample = SAMPLES["standard-webhooks"]
    verdict = sample.verify(sample.sign(), secret=sample.other_secret)
    assert verdict.reason is Reason.BAD_SIGNATURE
    assert verdict.diagnosis is None
    assert "No signature matches" in verdict.detail
    assert verdict.expected
    assert verdict.received
    assert verdict.expected != verdict.received


def test_diagnosis_can_be_skipped() -> None:
    verdict = sw_verify(COMPACT, COMPACT + b"\n", diagnose=False)
    assert verdict.reason is Reason.BAD_SIGNATURE
    assert verdict.diagnosis is None


def test_url_variants_cover_the_usual_differences() -> None:
    variants = dict((url, label) for label, url in url_variants("https://a.example/p?x=1"))
    assert "http://a.example/p?x=1" in variants
    assert "https://a.example:443/p?x=1" in variants
    assert "https://a.example/p/?x=1" in variants
    assert "https://a.example/p" in variants
    assert variants["https://a.example/p"] == "without the query string"
    assert "https://a.example/p?x=1" not in variants


@pytest.mark.parametrize("depth", [900, 1000, 3000])
def test_a_body_nested_too_deep_is_not_diagnosed_and_does_not_crash(depth: int) -> None:
    signed = deep_json(depth)
    verdict = sw_verify(signed, signed.replace(b"s3cr3t", b"secret"))
    assert verdict.reason is Reason.BAD_SIGNATURE
    assert verdict.diagnosis is None or verdict.diagnosis.code != "body-reserialised"
