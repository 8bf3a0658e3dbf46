"""Fresh message ids for schemes that sign one (Standard Webhooks, Svix)."""

from __future__ import annotations

import secrets

__all__ = ["new_message_id"]


def new_message_id() -> str:
    """`msg_` and 22 random URL-safe characters, like the ids Svix issues (never a `.`, which
    would make the signed `{id}.{timestamp}.{body}` ambiguous)."""
    return "msg_" + secrets.token_urlsafe(16)
