"""Guess a capture's event type (`push`, `payment_intent.succeeded`, …) for the table and filters.

Well-known provider headers win; otherwise a top-level `type`/`event`/`event_type`/`topic` string
in a JSON body. Slack's `event_callback` envelopes name the inner event. The body is only parsed
here, for a label: stored bytes are never touched.
"""

from __future__ import annotations

import json

from hookscope.core.jsondepth import nests_deeper_than
from hookscope.core.model import Header

__all__ = ["detect_event_type", "event_type_from_body", "event_type_from_headers"]

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
_RANK = {name: rank for rank, name in enumerate(_EVENT_HEADERS)}
_BODY_KEYS = ("type", "event_type", "event", "topic", "eventType", "event_name", "action")
_MAX_PARSE = 1 << 20  # labels are not worth parsing bodies larger than this


def detect_event_type(headers: tuple[Header, ...] | list[Header], body: bytes) -> str:
    return event_type_from_headers(headers) or event_type_from_body(body)


def event_type_from_headers(headers: tuple[Header, ...] | list[Header]) -> str:
    """Cheap: no body parsing, so it can run on the receiving path."""
    best, best_rank = "", len(_EVENT_HEADERS)
    for name, value in headers:
        rank = _RANK.get(name.lower(), best_rank)
        if rank < best_rank and value.strip():
            best, best_rank = value.strip(), rank
    return best


def event_type_from_body(body: bytes) -> str:
    if not body or len(body) > _MAX_PARSE or body.lstrip()[:1] != b"{":
        return ""
    if nests_deeper_than(body):  # no label, and no RecursionError in the parser
        return ""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
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
