"""The scheme table, detection from headers, and the public shape of a verdict."""

from __future__ import annotations

import pytest

from hookscope.core.signing import (
    SCHEMES,
    Reason,
    SigningInputError,
    Verification,
    detect_schemes,
    get_scheme,
    new_message_id,
)
from tests.core.signing.samples import SAMPLES

CONTRACT_NAMES = {
    "standard-webhooks", "standard-webhooks-v1a", "svix", "stripe", "github", "github-sha1",
    "shopify", "slack", "twilio", "square", "paddle", "zoom", "discord", "linear", "intercom",
    "hmac",
}  # fmt: skip


def test_the_table_holds_the_contracts_schemes() -> None:
    assert set(SCHEMES) == CONTRACT_NAMES
    for name, scheme in SCHEMES.items():
        assert scheme.name == name
        described = scheme.describe()
        assert described["name"] == name
        assert described["headers"]


def test_reason_codes_are_the_contracts() -> None:
    assert {r.value for r in Reason} == {
        "ok", "missing-header", "malformed-header", "bad-signature", "timestamp-too-old",
        "timestamp-too-new", "unsupported-version",
    }  # fmt: skip


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(SigningInputError, match="stripe"):
        get_scheme("strip")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("standard-webhooks", ["standard-webhooks"]),
        ("standard-webhooks-v1a", ["standard-webhooks-v1a"]),
        ("svix", ["svix"]),
        ("stripe", ["stripe"]),
        ("github", ["github", "github-sha1"]),
        ("intercom", ["github-sha1", "intercom"]),
        ("shopify", ["shopify"]),
        ("slack", ["slack"]),
        ("twilio", ["twilio"]),
        ("square", ["square"]),
        ("paddle", ["paddle"]),
        ("zoom", ["zoom"]),
        ("discord", ["discord"]),
        ("linear", ["linear"]),
        ("hmac", []),
    ],
)
def test_detect_from_headers(name: str, expected: list[str]) -> None:
    headers = SAMPLES[name].sign()
    assert detect_schemes(headers) == expected


def test_detect_nothing_on_plain_headers() -> None:
    assert detect_schemes([("Content-Type", "application/json"), ("Host", "x")]) == []


def test_verify_takes_a_captures_headers_as_they_are() -> None:
    from tests.core.factories import make_capture

    sample = SAMPLES["github"]
    capture = make_capture(headers=(("Host", "localhost"), *sample.sign()), body=sample.body)
    verdict = SCHEMES["github"].verify(capture.headers, capture.body, sample.verify_secret)
    assert verdict.valid


def test_verdict_json_shape() -> None:
    sample = SAMPLES["stripe"]
    verdict = sample.verify(sample.sign(), secret="whsec_wrong")
    shape = verdict.as_dict()
    assert list(shape)[:3] == ["valid", "reason", "detail"]
    assert shape["valid"] is False
    assert shape["reason"] == "bad-signature"
    assert isinstance(shape["detail"], str)
    assert shape["detail"]
    assert isinstance(verdict, Verification)


def test_new_message_ids_are_unique_and_safe() -> None:
    ids = {new_message_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("msg_") and "." not in i for i in ids)


def test_sign_fits_an_httpx_auth() -> None:
    # The shape a sender needs: sign(body, secret, id, timestamp, url) -> ordered headers.
    from collections.abc import Generator

    import httpx

    class SigningAuth(httpx.Auth):
        requires_request_body = True

        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
            headers = SCHEMES["standard-webhooks"].sign(
                request.content, secret, msg_id="msg_1", timestamp=1_700_000_000,
                url=str(request.url),
            )  # fmt: skip
            request.headers.update(headers)
            yield request

    secret = SAMPLES["standard-webhooks"].sign_secret

    def receiver(request: httpx.Request) -> httpx.Response:
        verdict = SCHEMES["standard-webhooks"].verify(
            list(request.headers.items()), request.content, secret, now=1_700_000_000
        )
        return httpx.Response(200 if verdict.valid else 401, text=verdict.reason.value)

    with httpx.Client(transport=httpx.MockTransport(receiver), auth=SigningAuth()) as client:
        response = client.post("https://example.com/hook", content=b'{"a":1}')
    assert response.status_code == 200
    assert response.text == "ok"
