"""The plain example: a shop's own `order_created` event, signed the Standard Webhooks way."""

from __future__ import annotations

from hookscope.core.templates.template import Template

__all__ = ["TEMPLATE"]

TEMPLATE = Template(
    name="order-created",
    title="order_created (generic JSON event)",
    description="A minimal JSON event of your own: a new order with an id, amount and items.",
    method="POST",
    path="/hooks/orders",
    headers=(("Content-Type", "application/json"), ("User-Agent", "hookscope-composer")),
    body=(
        '{"event":"order_created","order_id":"{{uuid}}","amount":4200,"currency":"EUR",'
        '"items":[{"sku":"A-1","qty":2,"unit_amount":2100}],"created_at":"{{now_iso}}"}'
    ),
    scheme="standard-webhooks",
)
