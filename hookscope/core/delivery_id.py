"""The id a provider gives an event or a delivery, and the query that finds every capture that
carries it: retries and redeliveries of one event, shown together and never merged away
(relays that de-duplicate silently hide exactly the retries a developer needs to see)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from hookscope.core.jsondepth import nests_deeper_than
from hookscope.core.model import Header

__all__ = ["DeliveryId", "delivery_id"]

# Headers that carry an event or delivery id (lower case), with what they identify.
_HEADERS = (
    ("webhook-id", "Standard Webhooks message id"),
    ("svix-id", "Svix message id"),
    ("x-github-delivery", "GitHub delivery id"),
    ("x-shopify-event-id", "Shopify event id"),
    ("x-shopify-webhook-id", "Shopify webhook id"),
    ("x-gitlab-event-uuid", "GitLab event id"),
    ("i-twilio-idempotency-token", "Twilio idempotency token"),
    ("idempotency-key", "idempotency key"),
)
# Top-level JSON fields that name the event, by how surely they do.
_BODY_FIELDS = (
    ("event_id", "event id (body)"),  # Slack, and many others
    ("webhookId", "Linear webhook id (body)"),
)
_MAX_PARSE = 1 << 20


@dataclass(frozen=True, slots=True)
class DeliveryId:
    value: str
    label: str  # what kind of id it is, for people
    query: str  # a filter-language query that finds every capture carrying it


def delivery_id(headers: tuple[Header, ...] | list[Header], body: bytes) -> DeliveryId | None:
    by_name = {name.lower(): (name, value.strip()) for name, value in reversed(headers)}
    for lower, label in _HEADERS:
        found = by_name.get(lower)
        if found and found[1]:
            name, value = found
            return DeliveryId(value, label, f"header:{name}={_quote(value)}")
    return _from_body(body)


def _from_body(body: bytes) -> DeliveryId | None:
    if not body or len(body) > _MAX_PARSE or body.lstrip()[:1] != b"{":
        return None
    if nests_deeper_than(body):  # no id, and no RecursionError in the parser
        return None
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    stripe_id = document.get("id")
    if isinstance(stripe_id, str) and stripe_id.startswith("evt_"):
        return DeliveryId(stripe_id, "Stripe event id (body)", f"json:$.id={_quote(stripe_id)}")
    for field, label in _BODY_FIELDS:
        value = document.get(field)
        if isinstance(value, str) and value:
            return DeliveryId(value, label, f"json:$.{field}={_quote(value)}")
    return None


def _quote(value: str) -> str:
    """The value as one quoted term of the filter language (literal: no globs)."""
    return json.dumps(value)
