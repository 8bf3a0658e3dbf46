"""The names of the headers signature schemes read and write: what a re-sign replaces and what
a redirect to another server must not carry."""

from __future__ import annotations

from functools import cache
from typing import Any

from hookscope.core.signing.registry import SCHEMES
from hookscope.core.signing.scheme import Scheme

__all__ = ["all_signature_header_names", "signature_header_names"]


def signature_header_names(scheme: Scheme[Any, Any]) -> set[str]:
    """The lower-case names of every header the scheme reads or writes: its signature, and
    the timestamp and id it signs (Svix's `webhook-*` fallback names, Shopify's Events name
    included)."""
    names = {name.lower() for name in (*scheme.headers, *scheme.also_read)}
    for prefix in getattr(scheme, "prefixes", ()):  # the Standard Webhooks family
        names |= {prefix + part for part in ("id", "timestamp", "signature")}
    return names


@cache
def all_signature_header_names() -> frozenset[str]:
    """Every registered scheme's header names, lower case."""
    return frozenset().union(*(signature_header_names(s) for s in SCHEMES.values()))
