"""Which names look like they hold a secret: headers, query parameters, form and JSON fields.

Matching works on the words of a name (`X-Hub-Signature-256` → x, hub, signature, 256;
`accessToken` → access, token), so that `completion_tokens` or `author` are not caught by a
substring while `api_key`, `apiKey` and `X-Api-Key` all are.
"""

from __future__ import annotations

import re
from itertools import pairwise

__all__ = ["SECRET_HEADERS", "looks_secret", "name_words"]

# Documented defaults: the headers webhook providers sign or authenticate with. The word rule
# below already covers every one of them; the list is what the README and the tests promise.
SECRET_HEADERS = (
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "x-access-token",
    "x-hub-signature",
    "x-hub-signature-256",
    "stripe-signature",
    "webhook-signature",
    "svix-signature",
    "x-shopify-hmac-sha256",
    "x-slack-signature",
    "x-twilio-signature",
    "x-square-hmacsha256-signature",
    "paddle-signature",
    "x-zm-signature",
    "x-signature-ed25519",
    "linear-signature",
    "x-gitlab-token",
    "x-hook-secret",
)

_SECRET_WORDS = frozenset(
    {
        "accesskey",
        "apikey",
        "auth",
        "authorization",
        "cookie",
        "credential",
        "credentials",
        "hmac",
        "jwt",
        "otp",
        "passphrase",
        "passwd",
        "password",
        "privatekey",
        "pwd",
        "secret",
        "sessionid",
        "sig",
        "signature",
        "token",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("access", "key"),
        ("api", "key"),
        ("encryption", "key"),
        ("private", "key"),
        ("session", "id"),
        ("signing", "key"),
    }
)
# In URLs a bare `key` is an API key far more often than data (`?key=AIza…`); in JSON bodies
# `key` is usually data (`"key": "PROJ-12"`), so only parameters use the loose rule.
_LOOSE_WORDS = frozenset({"key"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def name_words(name: str) -> list[str]:
    """`X-Hub-Signature-256` → ['x', 'hub', 'signature', '256']; `apiKey` → ['api', 'key']."""
    return [word for word in _SEPARATORS.split(_CAMEL.sub(" ", name).lower()) if word]


def looks_secret(name: str, *, loose: bool = False) -> bool:
    """True if a header, parameter or field of this name probably carries a secret.
    `loose` adds words that are secrets in URLs and form bodies but data in JSON."""
    if name.lower() in SECRET_HEADERS:
        return True
    words = name_words(name)
    if any(word in _SECRET_WORDS for word in words):
        return True
    if loose and any(word in _LOOSE_WORDS for word in words):
        return True
    return any(pair in _SECRET_PAIRS for pair in pairwise(words))
