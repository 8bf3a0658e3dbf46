"""Providers' retry schedules, from reference/signing-and-retries.md §3 and §5.

One entry per provider. Waits are in seconds, each the wait after the previous failed attempt
("each period is started following the failure of the preceding attempt", Svix). Providers that
publish no intervals get a labelled approximation (`exact=False`) whose notes say what is assumed.
"""

from __future__ import annotations

from dataclasses import replace

from hookscope.core.retry.policy import GENERIC_SEMANTICS, Policy, exponential, table
from hookscope.core.retry.semantics import Semantics, StopHeader, StopReason

__all__ = ["PRESETS"]

MIN = 60.0
HOUR = 3600.0


def _approximation(
    policy: Policy, name: str, semantics: Semantics, source: str, note: str
) -> Policy:
    return replace(
        policy, name=name, semantics=semantics, exact=False, source=source, notes=(note,)
    )


PRESETS: dict[str, Policy] = {
    "svix": table(
        "svix",
        (5, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR),
        Semantics(
            timeout_s=15,
            stop_headers=(StopHeader("webhook-delivery", "abort-message", StopReason.ABORTED),),
        ),
        source="docs.svix.com/retries",
    ),
    "standard-webhooks": table(
        "standard-webhooks",
        (5, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR),
        GENERIC_SEMANTICS,
        source="Standard Webhooks spec v1.0.0 (recommended schedule)",
        notes=("the spec recommends a 15-30 s timeout; 15 s is used",),
    ),
    "zoom": table(
        "zoom",
        (5 * MIN, 20 * MIN, 60 * MIN),
        Semantics(timeout_s=3, success_statuses=frozenset({200, 204})),
        source="Zoom developer blog",
    ),
    "mailgun": table(
        "mailgun",
        (5 * MIN, 10 * MIN, 15 * MIN, 1 * HOUR, 2 * HOUR, 4 * HOUR),
        Semantics(
            timeout_s=15,
            success_statuses=frozenset({200}),
            stop_statuses=((406, StopReason.REJECTED),),
        ),
        source="documentation.mailgun.com",
        notes=("Mailgun publishes no timeout; 15 s is assumed",),
    ),
    "adyen": table(
        "adyen",
        (
            9,
            9,
            9,
            2 * MIN,
            5 * MIN,
            10 * MIN,
            15 * MIN,
            30 * MIN,
            HOUR,
            2 * HOUR,
            4 * HOUR,
            8 * HOUR,
        ),
        Semantics(timeout_s=10),
        source="docs.adyen.com (webhook troubleshooting)",
        notes=(
            "3 fast retries, then the endpoint's retry queue; Adyen keeps retrying for up to "
            "30 days at unpublished intervals, so the schedule ends at the last published step",
        ),
    ),
    "slack": table(
        "slack",
        (0, 1 * MIN, 5 * MIN),
        Semantics(
            timeout_s=3,
            stop_headers=(StopHeader("X-Slack-No-Retry", "1", StopReason.NO_RETRY),),
        ),
        source="api.slack.com Events API",
        notes=(
            "the first retry is sent about immediately; whether +1 min and +5 min count from the "
            "previous retry is ambiguous in Slack's docs: here each counts from the previous one",
        ),
    ),
    "aws-sns-default": table(
        "aws-sns-default",
        (20, 20, 20),
        Semantics(timeout_s=15, client_errors_final=True),
        source="AWS SNS HTTP/S default delivery policy",
        notes=(
            "SNS applies unpublished jitter to its retries; this preset has none",
            "the ~15 s timeout and 4xx being final are from secondary sources",
        ),
    ),
    "pubsub": replace(
        exponential(5, 10, 2, 600, name="pubsub"),
        semantics=Semantics(timeout_s=10, success_statuses=frozenset({102, 200, 201, 202, 204})),
        source="Google Cloud Pub/Sub RetryPolicy reference",
        notes=(
            "minimum 10 s and maximum 600 s backoff are Pub/Sub's defaults; doubling between them "
            "is assumed",
            "5 attempts is the default max_delivery_attempts with a dead-letter topic; without "
            "one Pub/Sub retries until the message expires",
            "the timeout is the subscription's ack deadline (default 10 s)",
        ),
    ),
    "github": table(
        "github",
        (),
        Semantics(timeout_s=10),
        source="GitHub docs, Handling failed webhook deliveries",
        notes=("GitHub never redelivers on its own; redelivery is manual",),
    ),
    "stripe": _approximation(
        exponential(15, 1 * MIN, 2, 12 * HOUR),
        "stripe",
        Semantics(timeout_s=15),
        "Stripe docs: live mode retries for up to three days with an exponential back off",
        "approximation: Stripe publishes no intervals; modelled as doubling from 1 min, capped "
        "at 12 h, 15 attempts within three days; 15 s timeout assumed",
    ),
    "shopify": _approximation(
        exponential(9, 56, 2, 2 * HOUR),
        "shopify",
        Semantics(timeout_s=5),
        "Shopify changelog 2024-09-10: 8 retries over 4 hours, exponential backoff",
        "approximation: Shopify publishes no intervals; modelled as 8 retries doubling from "
        "56 s, the last about 4 h after the first attempt",
    ),
    "paddle": _approximation(
        exponential(61, 1 * MIN, 2, 75 * MIN),
        "paddle",
        Semantics(timeout_s=5),
        "developer.paddle.com: live up to 60 retries over 3 days, exponential",
        "approximation: Paddle publishes no intervals; modelled as 60 retries doubling from "
        "1 min, capped at 75 min, spanning about 3 days",
    ),
}
