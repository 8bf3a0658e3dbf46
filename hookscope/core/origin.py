"""Origins (`scheme://host[:port]`): what an imported capture keeps of the URL it was sent to,
and what decides whether a redirect stays with the same server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["HOST", "origin_of", "valid_origin"]

# A host name or bracketed IPv6 address, with an optional port: what a URL may hold as is.
HOST = re.compile(r"(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_SCHEMES = ("http", "https")


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, without any user info; None if it has none
    that a URL could be rebuilt from."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    return origin if valid_origin(origin) else None


def valid_origin(origin: str) -> bool:
    scheme, sep, host = origin.partition("://")
    return bool(sep) and scheme in _SCHEMES and HOST.fullmatch(host) is not None
