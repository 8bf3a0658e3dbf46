"""Slack: `X-Slack-Signature: v0=<hex>` over `v0:{X-Slack-Request-Timestamp}:{body}`, keyed by
the signing secret as text; slack_sdk rejects timestamps more than 5 minutes either way."""

from __future__ import annotations

from hookscope.core.signing.schemes.v0_envelope import V0Scheme

__all__ = ["Slack"]


class Slack(V0Scheme):
    name = "slack"
    title = "Slack"
    headers = ("X-Slack-Request-Timestamp", "X-Slack-Signature")
    detect_headers = ("X-Slack-Signature",)
    signature_header = "X-Slack-Signature"
    timestamp_header = "X-Slack-Request-Timestamp"
