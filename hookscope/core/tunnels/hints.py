"""Where each webhook provider wants the public URL pasted."""

from __future__ import annotations

__all__ = ["PASTE_HINTS"]

PASTE_HINTS: dict[str, str] = {
    "Stripe": "Dashboard → Developers → Webhooks → Add endpoint (Endpoint URL); or "
    "`stripe listen` is not needed",
    "GitHub": "Repository or organisation → Settings → Webhooks → Add webhook (Payload URL; "
    "Content type application/json; set a Secret)",
    "Shopify": "Admin → Settings → Notifications → Webhooks → Create webhook (URL)",
    "Slack": "api.slack.com/apps → your app → Event Subscriptions → Request URL (Slack sends a "
    "url_verification challenge first)",
    "Twilio": "Console → Phone Numbers → Active numbers → the number → Messaging or Voice: "
    "'A message comes in' webhook",
    "Square": "Developer Console → your app → Webhooks → Subscriptions → Add subscription",
    "Paddle": "Developer tools → Notifications → New destination (URL)",
    "Svix / Standard Webhooks": "the sender's portal → Endpoints → Add endpoint",
    "Zoom": "App Marketplace → your app → Feature → Event Subscriptions → Event notification "
    "endpoint URL",
    "Discord": "Developer Portal → your application → General Information → Interactions "
    "Endpoint URL",
}
