"""The per-attempt signer: one event id, a fresh timestamp and signature on every call."""

from __future__ import annotations

import base64

import pytest

from hookscope.core.signing import SCHEMES, SigningInputError
from hookscope.core.signing.signer import SchemeSigner

SECRET = "whsec_" + base64.b64encode(b"s" * 24).decode()


def header(headers: list[tuple[str, str]], name: str) -> str:
    return next(value for key, value in headers if key == name)


def test_same_id_fresh_timestamp_each_call() -> None:
    ticks = iter([1_700_000_000.9, 1_700_000_042.0])
    signer = SchemeSigner("standard-webhooks", SECRET, msg_id="msg_one", clock=lambda: next(ticks))
    first, second = signer(b"{}", "http://x/"), signer(b"{}", "http://x/")
    assert header(first, "webhook-id") == header(second, "webhook-id") == "msg_one"
    assert header(first, "webhook-timestamp") == "1700000000"
    assert header(second, "webhook-timestamp") == "1700000042"
    assert header(first, "webhook-signature") != header(second, "webhook-signature")
    for headers, now in ((first, 1_700_000_000), (second, 1_700_000_042)):
        assert SCHEMES["standard-webhooks"].verify(headers, b"{}", SECRET, now=now).valid


def test_a_fresh_id_per_signer() -> None:
    assert SchemeSigner("svix", SECRET).msg_id != SchemeSigner("svix", SECRET).msg_id


def test_url_signing_schemes_get_the_url() -> None:
    signer = SchemeSigner("square", "key")
    headers = signer(b"{}", "https://example.test/hook")
    verdict = SCHEMES["square"].verify(headers, b"{}", "key", url="https://example.test/hook")
    assert verdict.valid


@pytest.mark.parametrize(
    ("scheme", "secret", "message"),
    [
        ("svix", "", "the secret is empty"),
        ("nope", "x", "unknown scheme 'nope'"),
        ("svix", "whsec_***", "a svix secret is whsec_ followed by base64"),
    ],
)
def test_bad_input_is_reported_before_sending(scheme: str, secret: str, message: str) -> None:
    with pytest.raises(SigningInputError, match=message):
        SchemeSigner(scheme, secret)
