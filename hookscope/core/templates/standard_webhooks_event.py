"""A generic Standard Webhooks event, shaped like the example in the specification: `type`,
`timestamp` and `data` (the signing headers `webhook-id`, `webhook-timestamp` and
`webhook-signature` are added when it is signed)."""

from __future__ import annotations

from hookscope.core.templates.template import Template

__all__ = ["TEMPLATE"]

TEMPLATE = Template(
    name="standard-webhooks-event",
    title="Standard Webhooks contact.created",
    description="A Standard Webhooks (or Svix) event: type, timestamp and data, compact JSON.",
    method="POST",
    path="/hooks/standard",
    headers=(("Content-Type", "application/json"), ("User-Agent", "hookscope-composer")),
    body=(
        '{"type":"contact.created","timestamp":"{{now_iso}}","data":{"id":"{{uuid}}",'
        '"type":"contact","email":"jane.doe@example.com","name":"Jane Doe",'
        '"created_at":"{{now_iso}}"}}'
    ),
    scheme="standard-webhooks",
)
