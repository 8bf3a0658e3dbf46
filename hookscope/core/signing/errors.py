"""Input a scheme cannot work with: a secret in the wrong form, a URL that is needed but absent."""

from __future__ import annotations

from hookscope.core.errors import HookscopeError

__all__ = ["SigningInputError"]


class SigningInputError(HookscopeError):
    """The secret, id, timestamp, URL or body cannot be used by this scheme (the user's to fix)."""
