"""Signing on the way out: fresh timestamps, the same event id, re-signed replays, and the
providers' own libraries as judges."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
import standardwebhooks
import stripe
import svix.webhooks

from hookscope.core.errors import HookscopeError
from hookscope.core.send.sender import OutgoingRequest, prepare
from hookscope.core.send.signer import (
    SigningAuth,
    capture_event_id,
    make_signer,
    preview,
    replay_url,
    resign_capture,
    strip_signature_headers,
    unsigned,
)
from hookscope.core.signing import SCHEMES, SigningInputError
from tests.core.factories import make_capture
from tests.core.signing.samples import SAMPLES

BODY = b'{"type":"invoice.paid","data":{"id":"in_1","amount":4200}}'
URL = "http://127.0.0.1:9480/hooks/x"


def ticking(*times: float) -> Callable[[], float]:
    values = iter(times)
    return lambda: next(values)


def header(headers: list[tuple[str, str]], name: str) -> str:
    return next(v for k, v in headers if k.lower() == name.lower())


@pytest.mark.parametrize("name", ["standard-webhooks", "svix", "stripe", "slack", "paddle"])
def test_each_call_signs_a_fresh_timestamp_with_the_same_id(name: str) -> None:
    sample = SAMPLES[name]
    signer = make_signer(name, sample.sign_secret, clock=ticking(1_700_000_000, 1_700_000_007))
    first, second = signer(BODY, URL), signer(BODY, URL)
    assert first != second
    for headers, now in ((first, 1_700_000_000), (second, 1_700_000_007)):
        verdict = SCHEMES[name].verify(headers, BODY, sample.verify_secret, now=now)
        assert verdict.valid, verdict.detail
        assert verdict.timestamp == now
    if SCHEMES[name].signs_id:
        id_header = "svix-id" if name == "svix" else "webhook-id"
        assert header(first, id_header) == header(second, id_header) == signer.msg_id


def test_standardwebhooks_library_accepts_every_attempt_with_one_id() -> None:
    secret = SAMPLES["standard-webhooks"].sign_secret
    now = time.time()
    signer = make_signer("standard-webhooks", secret, clock=ticking(now - 2, now))
    attempts = [dict(signer(BODY, URL)) for _ in range(2)]
    assert attempts[0]["webhook-timestamp"] != attempts[1]["webhook-timestamp"]
    assert attempts[0]["webhook-id"] == attempts[1]["webhook-id"]
    for headers in attempts:
        standardwebhooks.Webhook(secret).verify(BODY, headers)


def test_svix_library_accepts_every_attempt_with_one_id() -> None:
    secret = SAMPLES["svix"].sign_secret
    now = time.time()
    signer = make_signer("svix", secret, msg_id="msg_fixed", clock=ticking(now - 3, now))
    for _ in range(2):
        headers = dict(signer(BODY, URL))
        assert headers["svix-id"] == "msg_fixed"
        svix.webhooks.Webhook(secret).verify(BODY, headers)


def test_stripe_library_accepts_every_attempt() -> None:
    secret = SAMPLES["stripe"].sign_secret
    now = time.time()
    signer = make_signer("stripe", secret, clock=ticking(now - 4, now))
    stamps = set()
    for _ in range(2):
        signature = dict(signer(BODY, URL))["Stripe-Signature"]
        stamps.add(signature.split(",")[0])
        stripe.WebhookSignature.verify_header(BODY.decode(), signature, secret, tolerance=300)
    assert len(stamps) == 2


def test_a_bad_secret_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(SigningInputError, match="whsec_"):
        make_signer("standard-webhooks", "not base64 !!")
    with pytest.raises(HookscopeError, match="unknown scheme"):
        make_signer("nope", "s")


def test_the_secret_never_shows_in_the_signers_repr() -> None:
    signer = make_signer("stripe", "whsec_supersecret")
    assert "supersecret" not in repr(signer)
    assert "stripe" in repr(signer)


def test_preview_is_exactly_what_signing_adds() -> None:
    clock = ticking(1_700_000_000, 1_700_000_000)
    shown = preview("github", "s3", BODY, URL, clock=clock)
    assert shown == SCHEMES["github"].sign(BODY, "s3")
    signer = make_signer("stripe", "whsec_x", clock=lambda: 1_700_000_000)
    sent = prepare(OutgoingRequest("POST", URL, (("A", "1"),), BODY), signer)
    assert sent.headers[1:] == tuple(preview("stripe", "whsec_x", BODY, URL, clock=signer.clock))


def test_signed_url_is_what_the_scheme_signs_wherever_the_request_goes() -> None:
    public = "https://example.com/square/"
    signer = make_signer("square", "sq-sig-key", signed_url=public)
    headers = signer(BODY, URL)
    assert SCHEMES["square"].verify(headers, BODY, "sq-sig-key", url=public).valid
    assert not SCHEMES["square"].verify(headers, BODY, "sq-sig-key", url=URL).valid


def signed_capture(name: str, *, age_s: int = 3600, **extra: object) -> object:
    sample = SAMPLES[name]
    stamp = int(time.time()) - age_s
    headers = (
        ("Host", "127.0.0.1:9480"),
        ("Content-Type", "application/json"),
        *SCHEMES[name].sign(BODY, sample.sign_secret, msg_id="msg_original", timestamp=stamp),
        ("X-After", "kept"),
        ("Content-Length", str(len(BODY))),
    )
    return make_capture(target="/hooks/orig?x=1", headers=headers, body=BODY, **extra)


@pytest.mark.parametrize("name", ["standard-webhooks", "svix", "stripe", "slack", "zoom"])
def test_a_stale_capture_resigned_verifies_now(name: str) -> None:
    sample = SAMPLES[name]
    capture = signed_capture(name)
    stale = SCHEMES[name].verify(capture.headers, capture.body, sample.verify_secret)
    assert stale.reason == "timestamp-too-old"
    request, _ = resign_capture(capture, name, sample.sign_secret, "http://other:1/new")
    assert request.body == BODY
    assert request.url == "http://other:1/new"
    verdict = SCHEMES[name].verify(request.headers, request.body, sample.verify_secret)
    assert verdict.valid, verdict.detail
    names = [n for n, _ in request.headers]
    assert names[0] == "Content-Type"
    assert names[-1] == "X-After"
    assert "Host" not in names
    assert "Content-Length" not in names
    assert len(names) == len(set(n.lower() for n in names))  # stale signature headers gone


def test_a_resigned_replay_keeps_the_event_id_for_the_providers_libraries() -> None:
    for name, check in (
        ("standard-webhooks", lambda s, h: standardwebhooks.Webhook(s).verify(BODY, h)),
        ("svix", lambda s, h: svix.webhooks.Webhook(s).verify(BODY, h)),
    ):
        secret = SAMPLES[name].sign_secret
        request, signer = resign_capture(signed_capture(name), name, secret, URL)
        headers = dict(request.headers)
        prefix = "svix-" if name == "svix" else "webhook-"
        assert headers[prefix + "id"] == "msg_original" == signer.msg_id
        check(secret, headers)
    secret = SAMPLES["stripe"].sign_secret
    request, _ = resign_capture(signed_capture("stripe"), "stripe", secret, URL)
    signature = dict(request.headers)["Stripe-Signature"]
    stripe.WebhookSignature.verify_header(BODY.decode(), signature, secret, tolerance=300)


def test_the_signer_from_a_replay_re_signs_retries_with_the_same_id() -> None:
    secret = SAMPLES["standard-webhooks"].sign_secret
    capture = signed_capture("standard-webhooks")
    request, signer = resign_capture(capture, "standard-webhooks", secret, URL)
    retried = prepare(request, signer)
    assert dict(retried.headers)["webhook-id"] == "msg_original"
    assert [n for n, _ in retried.headers].count("webhook-signature") == 1


def test_event_id_is_found_without_a_signature_and_in_svix_fallback_names() -> None:
    secret = SAMPLES["svix"].sign_secret
    only_id = make_capture(headers=(("svix-id", "msg_lonely"),))
    assert capture_event_id(only_id, SCHEMES["svix"], secret) == "msg_lonely"
    webhook_named = signed_capture("standard-webhooks")
    assert capture_event_id(webhook_named, SCHEMES["svix"], secret) == "msg_original"
    assert capture_event_id(make_capture(), SCHEMES["svix"], secret) is None
    assert capture_event_id(signed_capture("stripe"), SCHEMES["stripe"], "whsec_x") is None


def test_a_refused_capture_cannot_be_replayed() -> None:
    refused = make_capture(rejected="body-too-large", body=b"")
    with pytest.raises(HookscopeError, match="cannot be replayed"):
        resign_capture(refused, "github", "s", URL)


def test_edit_and_resend_strips_the_old_signature_and_signs_the_new_body() -> None:
    secret = SAMPLES["github"].sign_secret
    capture = signed_capture("github")
    request = OutgoingRequest("POST", URL, capture.headers, capture.body)
    editable = unsigned(request, SCHEMES["github"])
    assert {n.lower() for n, _ in editable.headers}.isdisjoint(
        {"x-hub-signature-256", "x-hub-signature"}
    )
    edited = replace(editable, body=BODY.replace(b"4200", b"4300"))
    sent = prepare(edited, make_signer("github", secret))
    assert SCHEMES["github"].verify(sent.headers, edited.body, secret).valid
    assert strip_signature_headers(capture.headers, SCHEMES["github"]) == editable.headers


def test_replay_url_appends_the_captures_target() -> None:
    capture = make_capture(target="/hooks/stripe?x=1")
    assert replay_url("http://localhost:3000/", capture) == "http://localhost:3000/hooks/stripe?x=1"
    absolute = make_capture(target="http://proxy.test/p?q=1")
    assert replay_url("http://h:1", absolute) == "http://h:1/p?q=1"


def test_signing_auth_signs_the_exact_body_an_httpx_client_sends() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    secret = SAMPLES["stripe"].sign_secret
    auth = SigningAuth(make_signer("stripe", secret))

    async def post() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            await client.post(URL, content=BODY, headers={"Stripe-Signature": "stale"}, auth=auth)

    asyncio.run(post())
    (request,) = seen
    assert request.content == BODY
    assert request.headers.get_list("Stripe-Signature") == [request.headers["Stripe-Signature"]]
    assert SCHEMES["stripe"].verify(list(request.headers.items()), BODY, secret).valid
