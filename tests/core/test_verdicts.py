from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES
from hookscope.core.verdicts import check_capture
from tests.core.factories import make_capture

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"type":"payment_intent.succeeded","id":"evt_1"}'
RECEIVED = 1_795_000_000


def stripe_capture(body: bytes = BODY, signed_at: int = RECEIVED, path: str = "/hooks/stripe"):
    headers = SCHEMES["stripe"].sign(body, SECRET, timestamp=signed_at)
    return make_capture(
        target=path,
        headers=(("Host", "127.0.0.1:9480"), *headers),
        body=body,
        received_us=RECEIVED * 1_000_000 + 250_000,
    )


def settings(**overrides: object) -> SignatureSettings:
    fields: dict[str, object] = {"path": "/hooks/stripe*", "scheme": "stripe", "secrets": (SECRET,)}
    fields.update(overrides)
    return SignatureSettings([SignatureSetting(**fields)])  # type: ignore[arg-type]


def test_valid_signature_checked_at_receipt_time_not_now() -> None:
    verdict = check_capture(stripe_capture(), settings())
    assert verdict.symbol == "✓"
    assert verdict.verification is not None
    assert verdict.verification.valid


def test_auto_detects_the_scheme() -> None:
    assert check_capture(stripe_capture(), settings(scheme="auto")).symbol == "✓"


def test_tampered_body_fails_with_diagnosis_on_request() -> None:
    capture = stripe_capture()
    capture.body = json.dumps(json.loads(BODY), indent=2).encode()  # a framework re-serialised
    quick = check_capture(capture, settings())
    assert quick.symbol == "✗"
    assert quick.verification is not None
    assert quick.verification.diagnosis is None  # the table's check skips the diagnosis
    full = check_capture(capture, settings(), diagnose=True)
    assert full.verification is not None
    assert full.verification.reason.value == "bad-signature"
    assert full.verification.diagnosis is not None
    assert full.verification.diagnosis.code == "body-reserialised"


def test_stale_at_receipt_is_too_old() -> None:
    verdict = check_capture(stripe_capture(signed_at=RECEIVED - 3600), settings())
    assert verdict.symbol == "✗"
    assert "timestamp-too-old" in verdict.summary


@pytest.mark.parametrize(
    ("setting", "summary"),
    [
        (SignatureSettings(), "no signature setting"),
        (settings(secrets=()), "no secret set"),
        (settings(path="/other/*"), "no signature setting"),
    ],
)
def test_unchecked_captures(setting: SignatureSettings, summary: str) -> None:
    verdict = check_capture(stripe_capture(), setting)
    assert verdict.symbol == "–"
    assert summary in verdict.summary


def test_auto_without_known_headers_is_unchecked() -> None:
    capture = make_capture(target="/hooks/stripe")
    assert check_capture(capture, settings(scheme="auto")).symbol == "–"


def test_generic_hmac_setting() -> None:
    scheme_options = {"header": "X-Sig", "algorithm": "sha256", "encoding": "hex"}
    from hookscope.core.signing import GenericHmac

    headers = GenericHmac(**scheme_options).sign(BODY, "s3cret")
    capture = make_capture(target="/custom", headers=tuple(headers), body=BODY)
    setting = SignatureSettings(
        [SignatureSetting("/custom", "hmac", ("s3cret",), hmac=scheme_options)]
    )
    assert check_capture(capture, setting).symbol == "✓"


def test_settings_round_trip_with_owner_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "signatures.json"
    original = settings(public_url="https://example.ngrok.app", tolerance_s=600)
    original.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = SignatureSettings.load(path)
    assert again.settings == original.settings
    assert SignatureSettings.load(tmp_path / "missing.json").settings == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read signature settings"),
        ('{"settings": 3}', "'settings' list"),
        ('{"settings": [{"path": ""}]}', r"settings\[0\]: 'path'"),
        ('{"settings": [{"path": "/a", "secrets": "x"}]}', "'secrets' must be a list"),
    ],
)
def test_bad_settings_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "signatures.json"
    path.write_text(content)
    with pytest.raises(HookscopeError, match=message):
        SignatureSettings.load(path)


def test_url_for_uses_public_base_or_host() -> None:
    setting = SignatureSetting("/t", public_url="https://abc.ngrok.app/")
    assert setting.url_for("/t?x=1", "127.0.0.1:9480") == "https://abc.ngrok.app/t?x=1"
    assert SignatureSetting("/t").url_for("/t", "localhost:9480") == "http://localhost:9480/t"


def test_a_tunnelled_capture_matches_settings_under_the_secret_prefix() -> None:
    prefix = "/h/" + "0123456789abcdef" * 2
    capture = stripe_capture(path=f"{prefix}/hooks/stripe")
    verdict = check_capture(capture, settings(path="/hooks/stripe"))
    assert verdict.symbol == "✓"
    assert verdict.setting is not None
    assert verdict.setting.path == "/hooks/stripe"
