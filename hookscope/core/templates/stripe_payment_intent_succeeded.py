"""Stripe's `payment_intent.succeeded`: an event object wrapping the PaymentIntent, pretty-printed
with two spaces as Stripe sends it, signed with `Stripe-Signature`."""

from __future__ import annotations

from hookscope.core.templates.template import Template

__all__ = ["TEMPLATE"]

_BODY = """{
  "id": "evt_{{random_id}}",
  "object": "event",
  "api_version": "2024-06-20",
  "created": {{now}},
  "data": {
    "object": {
      "id": "pi_{{random_id}}",
      "object": "payment_intent",
      "amount": 4200,
      "amount_capturable": 0,
      "amount_details": {
        "tip": {}
      },
      "amount_received": 4200,
      "application": null,
      "application_fee_amount": null,
      "automatic_payment_methods": {
        "allow_redirects": "always",
        "enabled": true
      },
      "canceled_at": null,
      "cancellation_reason": null,
      "capture_method": "automatic_async",
      "confirmation_method": "automatic",
      "created": {{now}},
      "currency": "eur",
      "customer": "cus_{{random_id}}",
      "description": "Order #1001",
      "last_payment_error": null,
      "latest_charge": "ch_{{random_id}}",
      "livemode": false,
      "metadata": {
        "order_id": "1001"
      },
      "next_action": null,
      "on_behalf_of": null,
      "payment_method": "pm_{{random_id}}",
      "payment_method_types": [
        "card"
      ],
      "receipt_email": "jenny.rosen@example.com",
      "setup_future_usage": null,
      "shipping": null,
      "statement_descriptor": null,
      "status": "succeeded",
      "transfer_data": null,
      "transfer_group": null
    }
  },
  "livemode": false,
  "pending_webhooks": 1,
  "request": {
    "id": "req_{{random_id}}",
    "idempotency_key": "{{uuid}}"
  },
  "type": "payment_intent.succeeded"
}"""

TEMPLATE = Template(
    name="stripe-payment-intent-succeeded",
    title="Stripe payment_intent.succeeded",
    description="A Stripe event for a PaymentIntent that succeeded (4200 EUR cents, test mode).",
    method="POST",
    path="/hooks/stripe",
    headers=(
        ("Content-Type", "application/json; charset=utf-8"),
        ("Cache-Control", "no-cache"),
        ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
        ("Accept", "*/*; q=0.5, application/xml"),
    ),
    body=_BODY,
    scheme="stripe",
)
