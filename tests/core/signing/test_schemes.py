"""Every scheme: signs and verifies, rejects what it must, accepts rotation, ignores unknown
versions, and applies the provider's timestamp tolerance in the provider's direction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hookscope.core.signing import SCHEMES, GenericHmac, Reason, SigningInputError
from tests.core.signing.samples import NOW, SAMPLES, Sample, replace_header, sign_with_key

ALL = sorted(SAMPLES)
TIMED = sorted(n for n in SAMPLES if SAMPLES[n].scheme.tolerance is not None)
HMAC = sorted(n for n in SAMPLES if SAMPLES[n].scheme.algorithm.startswith("HMAC"))
TIMESTAMP_HEADERS = sorted(
    n for n in SAMPLES if SAMPLES[n].scheme.timestamp_header in dict(SAMPLES[n].sign())
)


def test_every_registered_scheme_has_a_sample() -> None:
    assert set(SAMPLES) == set(SCHEMES)


@pytest.mark.parametrize("name", ALL)
def test_signs_and_verifies(name: str) -> None:
    sample = SAMPLES[name]
    verdict = sample.verify(sample.sign())
    assert verdict.valid, verdict.detail
    assert verdict.reason is Reason.OK
    assert verdict.signed_content is not None
    assert sample.body in verdict.signed_content or name == "twilio"


@pytest.mark.parametrize("name", ALL)
def test_header_names_ignore_case(name: str) -> None:
    sample = SAMPLES[name]
    shouted = [(k.upper(), v) for k, v in sample.sign()]
    assert sample.verify(shouted).valid


@pytest.mark.parametrize("name", ALL)
def test_tampered_body_fails(name: str) -> None:
    sample = SAMPLES[name]
    tampered = sample.body.replace(b"1", b"7", 1)
    assert tampered != sample.body
    verdict = sample.verify(sample.sign(), tampered)
    assert verdict.reason is Reason.BAD_SIGNATURE
    assert not verdict.valid


@pytest.mark.parametrize("name", ALL)
def test_wrong_secret_fails(name: str) -> None:
    sample = SAMPLES[name]
    verdict = sample.verify(sample.sign(), secret=sample.other_secret)
    assert verdict.reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("name", ALL)
def test_missing_signature_header(name: str) -> None:
    sample = SAMPLES[name]
    signature_header = sample.scheme.signature_header.lower()
    headers = [(k, v) for k, v in sample.sign() if k.lower() != signature_header]
    verdict = sample.verify(headers)
    assert verdict.reason is Reason.MISSING_HEADER
    assert sample.scheme.signature_header in verdict.detail


@pytest.mark.parametrize("name", ALL)
def test_malformed_signature_header(name: str) -> None:
    sample = SAMPLES[name]
    headers = replace_header(sample.sign(), sample.scheme.signature_header, "%%%")
    verdict = sample.verify(headers)
    assert verdict.reason is Reason.MALFORMED_HEADER, verdict.detail


@pytest.mark.parametrize("name", TIMESTAMP_HEADERS)
def test_malformed_timestamp_header(name: str) -> None:
    sample = SAMPLES[name]
    headers = replace_header(sample.sign(), sample.scheme.timestamp_header, "soon")
    verdict = sample.verify(headers)
    assert verdict.reason is Reason.MALFORMED_HEADER
    assert "soon" in verdict.detail


@pytest.mark.parametrize("name", ["stripe", "paddle"])
def test_malformed_embedded_timestamp(name: str) -> None:
    sample = SAMPLES[name]
    header = sample.scheme.signature_header
    value = dict(sample.sign())[header].replace(str(NOW), "yesterday")
    assert sample.verify([(header, value)]).reason is Reason.MALFORMED_HEADER


def _timed(sample: Sample, offset: float) -> Reason:
    """Sign `offset` seconds away from NOW and verify at NOW."""
    signed_at = int(NOW + offset)
    body = sample.body
    if sample.name == "linear":  # Linear's signed time is in the body
        body = b'{"action":"create","webhookTimestamp":%d}' % (signed_at * 1000)
        return sample.verify(sample.sign(body=body), body).reason
    return sample.verify(sample.sign(timestamp=signed_at), body).reason


@pytest.mark.parametrize("name", TIMED)
def test_stale_timestamp_fails(name: str) -> None:
    sample = SAMPLES[name]
    tolerance = sample.scheme.tolerance
    assert tolerance is not None
    assert _timed(sample, -(tolerance - 1)) is Reason.OK
    assert _timed(sample, -(tolerance + 2)) is Reason.TIMESTAMP_TOO_OLD


@pytest.mark.parametrize("name", TIMED)
def test_future_timestamp_per_provider(name: str) -> None:
    sample = SAMPLES[name]
    tolerance = sample.scheme.tolerance
    assert tolerance is not None
    expected = Reason.TIMESTAMP_TOO_NEW if sample.scheme.rejects_future else Reason.OK
    assert _timed(sample, tolerance + 2) is expected


def test_stripe_and_paddle_accept_future_timestamps_like_their_libraries() -> None:
    assert not SCHEMES["stripe"].rejects_future
    assert not SCHEMES["paddle"].rejects_future
    assert SCHEMES["standard-webhooks"].rejects_future
    assert SCHEMES["slack"].rejects_future


@pytest.mark.parametrize("name", TIMED)
def test_tolerance_can_be_widened_or_turned_off(name: str) -> None:
    sample = SAMPLES[name]
    headers = sample.sign(timestamp=NOW - 10_000)
    body = sample.body
    if name == "linear":
        body = b'{"action":"create","webhookTimestamp":%d}' % ((NOW - 10_000) * 1000)
        headers = sample.sign(body=body)
    assert sample.verify(headers, body).reason is Reason.TIMESTAMP_TOO_OLD
    assert sample.verify(headers, body, tolerance=20_000).valid
    assert sample.verify(headers, body, tolerance=0).valid


def test_discord_checks_the_timestamp_only_when_asked() -> None:
    sample = SAMPLES["discord"]
    old = sample.sign(timestamp=NOW - 3600)
    assert sample.verify(old).valid  # Discord sets no tolerance
    assert sample.verify(old, tolerance=300).reason is Reason.TIMESTAMP_TOO_OLD


def test_a_bad_signature_outranks_a_stale_timestamp() -> None:
    # Like Stripe's library: the signature is checked first, the clock second.
    sample = SAMPLES["stripe"]
    verdict = sample.verify(sample.sign(timestamp=NOW - 1000), secret="whsec_wrong")
    assert verdict.reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("name", HMAC)
def test_secret_decoded_the_wrong_way_fails(name: str) -> None:
    sample = SAMPLES[name]
    scheme = sample.scheme
    secret = sample.sign_secret
    if not scheme.alternative_keys(secret):  # e.g. "12345": no other plausible reading
        secret = "c2VjcmV0LXRoYXQtbG9va3MtZW5jb2RlZA=="
    readings = scheme.alternative_keys(secret)
    assert readings
    for label, key in readings:
        headers = sign_with_key(scheme, key, sample.body, url=sample.url)
        verdict = sample.verify(headers, secret=secret)
        assert verdict.reason is Reason.BAD_SIGNATURE
        assert verdict.diagnosis is not None
        assert verdict.diagnosis.code == "secret-decoding"
        assert label in verdict.diagnosis.explanation


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("standard-webhooks", "whsec_not*base64"),
        ("svix", "whsec_%%%"),
        ("standard-webhooks-v1a", "whsk_%%%"),
        ("discord", "not-hex"),
    ],
)
def test_secret_in_the_wrong_form_is_a_clear_error(name: str, secret: str) -> None:
    sample = SAMPLES[name]
    with pytest.raises(SigningInputError):
        sample.verify(sample.sign(), secret=secret)
    with pytest.raises(SigningInputError):
        sample.sign(secret=secret)


def test_asymmetric_schemes_refuse_to_sign_with_a_public_key() -> None:
    sample = SAMPLES["standard-webhooks-v1a"]
    with pytest.raises(SigningInputError, match="private key"):
        sample.sign(secret=sample.verify_secret)


def test_v1a_verifies_with_the_private_key_too() -> None:
    sample = SAMPLES["standard-webhooks-v1a"]
    assert sample.verify(sample.sign(), secret=sample.sign_secret).valid


LIST_SCHEMES = sorted(n for n in SAMPLES if not SAMPLES[n].scheme.single_signature)


@pytest.mark.parametrize("name", LIST_SCHEMES)
def test_rotation_signs_with_every_secret_and_either_verifies(name: str) -> None:
    sample = SAMPLES[name]
    if name == "standard-webhooks-v1a":
        old, new = sample.sign_secret, "whsk_" + "B" * 43 + "="
        checks = [sample.verify_secret, new]
    else:
        old, new = sample.sign_secret, sample.other_secret
        checks = [old, new]
    headers = sample.sign(secret=[old, new])
    for secret in checks:
        assert sample.verify(headers, secret=secret).valid, secret


@pytest.mark.parametrize("name", ALL)
def test_receiver_side_rotation_accepts_any_of_several_secrets(name: str) -> None:
    sample = SAMPLES[name]
    verdict = sample.verify(sample.sign(), secret=[sample.other_secret, sample.verify_secret])
    assert verdict.valid, verdict.detail
    assert sample.verify(sample.sign(), secret=[sample.other_secret]).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("name", sorted(n for n in SAMPLES if SAMPLES[n].scheme.single_signature))
def test_single_signature_schemes_sign_with_one_secret(name: str) -> None:
    sample = SAMPLES[name]
    with pytest.raises(SigningInputError, match="one signature"):
        sample.sign(secret=[sample.sign_secret, sample.sign_secret + "2"])


def test_standard_webhooks_ignores_unknown_versions() -> None:
    sample = SAMPLES["standard-webhooks"]
    valid = dict(sample.sign())["webhook-signature"]
    headers = replace_header(sample.sign(), "webhook-signature", f"v9,AAAA garbage {valid}")
    assert sample.verify(headers).valid


@pytest.mark.parametrize(
    ("name", "other"),
    [("standard-webhooks", "standard-webhooks-v1a"), ("svix", "standard-webhooks-v1a")],
)
def test_only_another_version_is_unsupported(name: str, other: str) -> None:
    headers = SAMPLES[other].sign()
    verdict = SAMPLES[name].verify(headers)
    assert verdict.reason is Reason.UNSUPPORTED_VERSION
    assert "v1a" in verdict.detail


def test_v1a_ignores_v1_entries_and_reads_its_own() -> None:
    v1 = dict(SAMPLES["standard-webhooks"].sign())["webhook-signature"]
    v1a_headers = SAMPLES["standard-webhooks-v1a"].sign()
    v1a = dict(v1a_headers)["webhook-signature"]
    both = replace_header(v1a_headers, "webhook-signature", f"{v1} {v1a}")
    assert SAMPLES["standard-webhooks-v1a"].verify(both).valid
    assert SAMPLES["standard-webhooks"].verify(both).valid


def test_stripe_never_downgrades_to_v0() -> None:
    sample = SAMPLES["stripe"]
    v1 = dict(sample.sign())["Stripe-Signature"].split("v1=")[1]
    # A correct HMAC labelled v0 must not be accepted: only v1 counts.
    verdict = sample.verify([("Stripe-Signature", f"t={NOW},v0={v1}")])
    assert verdict.reason is Reason.UNSUPPORTED_VERSION
    assert "downgrade" in verdict.detail
    assert sample.verify([("Stripe-Signature", f"t={NOW},v0=deadbeef,v1={v1}")]).valid


def test_stripe_accepts_several_v1_signatures() -> None:
    sample = SAMPLES["stripe"]
    v1 = dict(sample.sign())["Stripe-Signature"].split("v1=")[1]
    header = f"t={NOW},v1={'0' * 64},v1={v1}"
    assert sample.verify([("Stripe-Signature", header)]).valid


def test_github_reports_another_algorithm_as_unsupported() -> None:
    verdict = SAMPLES["github"].verify([("X-Hub-Signature-256", "sha1=" + "0" * 40)])
    assert verdict.reason is Reason.UNSUPPORTED_VERSION


def test_github_sends_the_legacy_header_too() -> None:
    sample = SAMPLES["github"]
    headers = sample.sign()
    assert [name for name, _ in headers] == ["X-Hub-Signature-256", "X-Hub-Signature"]
    legacy = SCHEMES["github-sha1"].verify(headers, sample.body, sample.sign_secret)
    assert legacy.valid


@pytest.mark.parametrize(("name", "prefix"), [("slack", "v1="), ("zoom", "v1="), ("paddle", "h2=")])
def test_unknown_versions_of_single_entry_schemes(name: str, prefix: str) -> None:
    sample = SAMPLES[name]
    header = sample.scheme.signature_header
    signed = dict(sample.sign())
    value = f"ts={NOW};{prefix}00" if name == "paddle" else f"{prefix}00"
    verdict = sample.verify([*((k, v) for k, v in signed.items() if k != header), (header, value)])
    assert verdict.reason is Reason.UNSUPPORTED_VERSION


def test_hmac_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hookscope.core.signing.hmac_scheme as hmac_scheme

    calls: list[tuple[bytes, bytes]] = []
    real = hmac_scheme.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac_scheme.hmac, "compare_digest", spy)
    sample = SAMPLES["github"]
    assert sample.verify(sample.sign()).valid
    assert calls


def test_sign_requires_what_the_scheme_signs() -> None:
    with pytest.raises(SigningInputError, match="message id"):
        SCHEMES["standard-webhooks"].sign(b"{}", SAMPLES["svix"].sign_secret, timestamp=NOW)
    with pytest.raises(SigningInputError, match="timestamp"):
        SCHEMES["slack"].sign(b"{}", "secret")
    with pytest.raises(SigningInputError, match="URL"):
        SCHEMES["square"].sign(b"{}", "secret")
    with pytest.raises(SigningInputError, match="URL"):
        SCHEMES["twilio"].verify([("X-Twilio-Signature", "x")], b"", "secret")
    with pytest.raises(SigningInputError, match="empty"):
        SCHEMES["github"].sign(b"{}", "")


def test_twilio_refuses_to_sign_json_as_form_and_names_the_hash() -> None:
    with pytest.raises(SigningInputError, match=r"bodySHA256=[0-9a-f]{64}"):
        SCHEMES["twilio"].sign(b'{"a": 1}', "token", url="https://example.com/hook")


def test_twilio_webhooks_rules_sha256() -> None:
    import base64
    import hashlib
    import hmac

    sample = SAMPLES["twilio"]
    content = (
        sample.url.encode() + b"BodyHello thereCallSidCA1234567890ABCDEDigits1234From+14158675309"
    )
    signature = base64.b64encode(hmac.new(b"shared-key", content, hashlib.sha256).digest()).decode()
    headers = [
        ("X-Twilio-Signature", signature),
        ("X-Twilio-Webhooks-Signature-Settings", "key=WK123,algorithm=HMAC_SHA256"),
    ]
    assert sample.verify(headers, secret="shared-key").valid
    assert not sample.verify(headers[:1], secret="shared-key").valid


def test_generic_hmac_template_and_errors() -> None:
    scheme = GenericHmac(header="X-Sig", template="{url}|{body}|{{x}}", algorithm="sha1")
    headers = scheme.sign(b"hello", "k", url="https://a.example/p")
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"https://a.example/p|hello|{x}", hashlib.sha1).hexdigest()
    assert headers == [("X-Sig", expected)]
    assert scheme.verify(headers, b"hello", "k", url="https://a.example/p").valid
    with pytest.raises(SigningInputError, match=r"\{nope\}"):
        GenericHmac(template="{nope}")
    with pytest.raises(SigningInputError, match="--timestamp-header"):
        GenericHmac(template="{timestamp}.{body}")
    with pytest.raises(SigningInputError, match="algorithm"):
        GenericHmac(algorithm="md5")


@settings(max_examples=50, deadline=None)
@given(
    name=st.sampled_from(sorted(set(SAMPLES) - {"twilio"})),  # Twilio signs form fields
    body=st.binary(max_size=3000),
    flip=st.integers(min_value=0),
)
def test_any_bytes_round_trip_and_any_flipped_byte_fails(name: str, body: bytes, flip: int) -> None:
    sample = SAMPLES[name]
    headers = sample.sign(body=body)
    assert sample.verify(headers, body, tolerance=0).valid
    if body:
        at = flip % len(body)
        tampered = body[:at] + bytes([body[at] ^ 0x01]) + body[at + 1 :]
        verdict = sample.verify(headers, tampered, tolerance=0, diagnose=False)
        assert verdict.reason is Reason.BAD_SIGNATURE
