"""Shopify signs Events webhooks in `shopify-hmac-sha256` (no `X-`), as `@shopify/shopify-api`
13 validates them, and classic webhooks in `X-Shopify-Hmac-Sha256`: both are the same HMAC."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from hookscope.cli import main
from hookscope.core.model import Capture
from hookscope.core.signature_settings import AUTO, SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES, Reason, detect_schemes
from hookscope.core.verdicts import VALID, check_capture

SECRET = "shpss_events_0123456789abcdef"
BODY = b'{"id":"gid://shopify/Order/1","topic":"orders/create"}'


def shopify_digest(secret: str, body: bytes) -> str:
    # As Shopify's docs compute it: base64 of HMAC-SHA256 over the raw body, keyed by the
    # app's client secret as UTF-8.
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


EVENTS_HEADERS = [
    ("shopify-topic", "orders/create"),
    ("shopify-hmac-sha256", shopify_digest(SECRET, BODY)),
    ("shopify-webhook-id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"),
]


def test_events_header_verifies() -> None:
    verdict = SCHEMES["shopify"].verify(EVENTS_HEADERS, BODY, SECRET)
    assert verdict.reason is Reason.OK, verdict.detail


def test_events_header_with_a_wrong_body_is_a_bad_signature() -> None:
    verdict = SCHEMES["shopify"].verify(EVENTS_HEADERS, BODY + b" ", SECRET)
    assert verdict.reason is Reason.BAD_SIGNATURE


def test_events_header_is_detected_as_shopify() -> None:
    assert detect_schemes(EVENTS_HEADERS) == ["shopify"]


def test_the_classic_header_still_verifies() -> None:
    headers = [("X-Shopify-Hmac-Sha256", shopify_digest(SECRET, BODY))]
    assert SCHEMES["shopify"].verify(headers, BODY, SECRET).reason is Reason.OK


def test_verify_cli_accepts_the_events_header(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "body.json"  # type: ignore[operator]
    body.write_bytes(BODY)
    header = f"shopify-hmac-sha256: {shopify_digest(SECRET, BODY)}"
    code = main(["verify", "shopify", "--secret", SECRET, "-H", header, "--body-file", str(body)])
    assert (code, capsys.readouterr().out.split(":")[0]) == (0, "ok")


def test_the_apps_verdict_accepts_the_events_header() -> None:
    capture = Capture("POST", "/hooks/shopify", tuple(EVENTS_HEADERS), BODY, received_us=0)
    settings = SignatureSettings([SignatureSetting("/hooks/shopify", AUTO, (SECRET,))])
    assert check_capture(capture, settings).symbol == VALID
