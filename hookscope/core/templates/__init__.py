"""The composer's template library: realistic webhooks from common providers, one module each.

    from hookscope.core.templates import get_template
    request = get_template("github-push").request("http://127.0.0.1:9480")

Bodies hold `{{variables}}` (see `hookscope.core.send.variables`) for the values that should be
fresh on every send: event ids, delivery ids, timestamps.
"""

from __future__ import annotations

from hookscope.core.errors import HookscopeError
from hookscope.core.templates.github_push import TEMPLATE as GITHUB_PUSH
from hookscope.core.templates.order_created import TEMPLATE as ORDER_CREATED
from hookscope.core.templates.shopify_orders_create import TEMPLATE as SHOPIFY_ORDERS_CREATE
from hookscope.core.templates.slack_event_callback import TEMPLATE as SLACK_EVENT_CALLBACK
from hookscope.core.templates.standard_webhooks_event import TEMPLATE as STANDARD_EVENT
from hookscope.core.templates.stripe_payment_intent_succeeded import TEMPLATE as STRIPE_PI
from hookscope.core.templates.template import Template

__all__ = ["TEMPLATES", "Template", "get_template"]

TEMPLATES: dict[str, Template] = {
    template.name: template
    for template in (
        ORDER_CREATED,
        STRIPE_PI,
        GITHUB_PUSH,
        SHOPIFY_ORDERS_CREATE,
        SLACK_EVENT_CALLBACK,
        STANDARD_EVENT,
    )
}


def get_template(name: str) -> Template:
    try:
        return TEMPLATES[name.strip().lower()]
    except KeyError:
        raise HookscopeError(
            f"unknown template {name!r}; the templates are: {', '.join(TEMPLATES)}"
        ) from None
