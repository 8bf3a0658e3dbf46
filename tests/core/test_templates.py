"""The template library: realistic provider payloads that expand, parse and sign correctly."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import standardwebhooks
import stripe

from hookscope.core.errors import HookscopeError
from hookscope.core.eventtype import detect_event_type
from hookscope.core.send.signer import make_signer
from hookscope.core.send.variables import Variables, placeholders
from hookscope.core.signing import SCHEMES
from hookscope.core.templates import TEMPLATES, get_template
from tests.core.signing.samples import SAMPLES

EXPECTED = {
    "order-created": "order_created",
    "stripe-payment-intent-succeeded": "payment_intent.succeeded",
    "github-push": "push",
    "shopify-orders-create": "orders/create",
    "slack-event-callback": "message",
    "standard-webhooks-event": "contact.created",
}


def expanded(name: str) -> tuple[Any, dict[str, Any]]:
    expansion = Variables().expand(get_template(name).request("http://127.0.0.1:9480"))
    assert expansion.unknown == ()
    return expansion.request, json.loads(expansion.request.body)


def test_the_library_holds_the_promised_templates() -> None:
    assert list(TEMPLATES) == list(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_template_expands_to_json_with_only_known_variables(name: str) -> None:
    template = TEMPLATES[name]
    assert placeholders(template.body), "a template should give fresh values at each send"
    request, _ = expanded(name)
    assert request.url == "http://127.0.0.1:9480" + template.path
    assert b"{{" not in request.body
    assert all("{{" not in value for _, value in request.headers)
    assert template.scheme in SCHEMES
    assert template.description
    assert template.title


@pytest.mark.parametrize(("name", "event_type"), EXPECTED.items())
def test_the_inspector_names_each_templates_event(name: str, event_type: str) -> None:
    request, _ = expanded(name)
    assert detect_event_type(request.headers, request.body) == event_type


def test_two_sends_of_a_template_are_two_events() -> None:
    _first, first_doc = expanded("stripe-payment-intent-succeeded")
    _second, second_doc = expanded("stripe-payment-intent-succeeded")
    assert first_doc["id"] != second_doc["id"]
    assert first_doc["id"].startswith("evt_")
    assert len(first_doc["id"]) == 28


def test_stripe_event_has_stripes_shape() -> None:
    _, event = expanded("stripe-payment-intent-succeeded")
    assert event["object"] == "event"
    assert event["type"] == "payment_intent.succeeded"
    intent = event["data"]["object"]
    assert intent["object"] == "payment_intent"
    assert intent["id"].startswith("pi_")
    assert intent["status"] == "succeeded"
    assert intent["amount_received"] == intent["amount"] == 4200
    assert abs(event["created"] - time.time()) < 60
    body = TEMPLATES["stripe-payment-intent-succeeded"].body
    assert body.startswith('{\n  "id"')  # Stripe pretty-prints with two spaces


def test_github_push_carries_githubs_headers() -> None:
    request, push = expanded("github-push")
    headers = dict(request.headers)
    assert headers["X-GitHub-Event"] == "push"
    assert uuid.UUID(headers["X-GitHub-Delivery"])
    assert headers["User-Agent"].startswith("GitHub-Hookshot/")
    assert push["ref"] == "refs/heads/main"
    assert push["head_commit"]["id"] == push["after"] == push["commits"][0]["id"]
    assert push["repository"]["full_name"] == "octocat/Hello-World"


def test_shopify_order_carries_shopifys_headers() -> None:
    request, order = expanded("shopify-orders-create")
    headers = dict(request.headers)
    assert headers["X-Shopify-Topic"] == "orders/create"
    assert headers["X-Shopify-Shop-Domain"].endswith(".myshopify.com")
    assert headers["X-Shopify-Webhook-Id"] != headers["X-Shopify-Event-Id"]
    assert isinstance(order["id"], int)
    assert order["total_price"] == "42.00"  # Shopify's money is decimal text
    assert order["line_items"][0]["quantity"] == 1


def test_slack_event_callback_wraps_a_message() -> None:
    _, envelope = expanded("slack-event-callback")
    assert envelope["type"] == "event_callback"
    assert envelope["event"]["type"] == "message"
    assert envelope["event_id"].startswith("Ev")
    assert abs(envelope["event_time"] - time.time()) < 60


def test_standard_webhooks_event_has_the_specs_shape() -> None:
    _, event = expanded("standard-webhooks-event")
    assert set(event) == {"type", "timestamp", "data"}
    assert uuid.UUID(event["data"]["id"])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_template_signed_with_its_scheme_verifies(name: str) -> None:
    request, _ = expanded(name)
    scheme = TEMPLATES[name].scheme
    assert scheme is not None
    secret = SAMPLES[scheme].sign_secret
    headers = [*request.headers, *make_signer(scheme, secret)(request.body, request.url)]
    verdict = SCHEMES[scheme].verify(headers, request.body, SAMPLES[scheme].verify_secret)
    assert verdict.valid, verdict.detail


def test_providers_libraries_accept_the_signed_templates() -> None:
    request, _ = expanded("stripe-payment-intent-succeeded")
    secret = SAMPLES["stripe"].sign_secret
    signed = dict(make_signer("stripe", secret)(request.body, request.url))
    event = stripe.Webhook.construct_event(request.body, signed["Stripe-Signature"], secret)
    assert event["type"] == "payment_intent.succeeded"

    request, _ = expanded("standard-webhooks-event")
    secret = SAMPLES["standard-webhooks"].sign_secret
    signed = dict(make_signer("standard-webhooks", secret)(request.body, request.url))
    payload = standardwebhooks.Webhook(secret).verify(request.body, signed)
    assert payload["type"] == "contact.created"


def test_an_unknown_template_is_a_clear_error() -> None:
    with pytest.raises(HookscopeError, match="unknown template 'nope'; the templates are: order"):
        get_template("nope")
