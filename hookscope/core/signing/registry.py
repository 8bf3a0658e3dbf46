"""The table of signature schemes, by the names the CLI and the app use."""

from __future__ import annotations

from typing import Any

from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.headers import HeaderList
from hookscope.core.signing.scheme import Scheme
from hookscope.core.signing.schemes.discord import Discord
from hookscope.core.signing.schemes.generic_hmac import GenericHmac
from hookscope.core.signing.schemes.github import GitHub, GitHubSha1
from hookscope.core.signing.schemes.intercom import Intercom
from hookscope.core.signing.schemes.linear import Linear
from hookscope.core.signing.schemes.paddle import Paddle
from hookscope.core.signing.schemes.shopify import Shopify
from hookscope.core.signing.schemes.slack import Slack
from hookscope.core.signing.schemes.square import Square
from hookscope.core.signing.schemes.standard_webhooks import StandardWebhooks
from hookscope.core.signing.schemes.standard_webhooks_v1a import StandardWebhooksV1a
from hookscope.core.signing.schemes.stripe import Stripe
from hookscope.core.signing.schemes.svix import Svix
from hookscope.core.signing.schemes.twilio import Twilio
from hookscope.core.signing.schemes.zoom import Zoom

__all__ = ["SCHEMES", "detect_schemes", "get_scheme"]

SCHEMES: dict[str, Scheme[Any, Any]] = {
    scheme.name: scheme
    for scheme in (
        StandardWebhooks(),
        StandardWebhooksV1a(),
        Svix(),
        Stripe(),
        GitHub(),
        GitHubSha1(),
        Shopify(),
        Slack(),
        Twilio(),
        Square(),
        Paddle(),
        Zoom(),
        Discord(),
        Linear(),
        Intercom(),
        GenericHmac(),  # the default shape; configure one with GenericHmac(header=…, …)
    )
}


def get_scheme(name: str) -> Scheme[Any, Any]:
    try:
        return SCHEMES[name]
    except KeyError:
        raise SigningInputError(
            f"unknown scheme {name!r}; the schemes are: {', '.join(SCHEMES)}"
        ) from None


def detect_schemes(headers: HeaderList) -> list[str]:
    """The schemes whose signature headers `headers` carry, most specific first. GitHub's
    legacy header and Intercom's are the same, so both are named."""
    return [name for name, scheme in SCHEMES.items() if scheme.detect(headers)]
