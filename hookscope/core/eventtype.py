"""Guess a capture's event type (`push`, `payment_intent.succeeded`, …) for the table and filters.

Well-known provider headers win; otherwise a top-level `type`/`event`/`event_type`/`topic` string
in a JSON body. Slack's `event_callback` envelopes name the inner event. The body is only parsed
here, for a label: stored bytes are never touched.
"""

from __future__ import annotations

import json

from hookscope.core.model import Header

__all__ = ["detect_event_type"]

# Header names (lower case) that carry the event type, in order of preference.
_EVENT_HEADERS = (
    "x-github-event",
    "x-gitlab-event",
    "x-shopify-topic",
    "x-event-key",  # Bitbucket
    "x-gitea-event",
    "x-wc-webhook-topic",  # WooCommerce
    "x-twilio-event-type",
    "linear-event",
    "x-hook-event",
)
_BODY_KEYS = ("type", "event_type", "event", "topic", "eventType", "event_name", "action")
_MAX_PARSE = 1 << 20  # labels are not worth parsing bodies larger than this


def detect_event_type(headers: tuple[Header, ...] | list[Header], body: bytes) -> str:
    by_name = {name.lower(): value for name, value in reversed(headers)}
    for name in _EVENT_HEADERS:
        value = by_name.get(name)
        if value:
            return value.strip()
    return _from_json_body(body)


def _from_json_body(body: bytes) -> str:
    if not body or len(body) > _MAX_PARSE or body.lstrip()[:1] != b"{":
        return ""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(document, dict):
        return ""
    if document.get("type") == "event_callback" and isinstance(document.get("event"), dict):
        inner = document["event"].get("type")
        if isinstance(inner, str):
            return inner
    for key in _BODY_KEYS:
        value = document.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict):  # e.g. {"event": {"type": "..."}}
            inner = value.get("type") or value.get("name")
            if isinstance(inner, str) and inner:
                return inner
    return ""
