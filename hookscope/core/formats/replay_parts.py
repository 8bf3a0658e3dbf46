"""What every copy-as builder (curl, httpie, Python) sends again of a capture: the headers that
are not recomputed for the new connection, and whether a body goes out at all."""

from __future__ import annotations

from hookscope.core.formats.curl import DROPPED_HEADERS
from hookscope.core.model import Capture, Header

__all__ = ["kept_headers", "sends_body"]


def kept_headers(capture: Capture) -> list[Header]:
    """Every header in order, duplicates and case kept, except `Host`, `Content-Length` and
    the hop-by-hop ones, which the client writes for the URL and body it sends."""
    return [(n, v) for n, v in capture.headers if n.lower() not in DROPPED_HEADERS]


def sends_body(capture: Capture) -> bool:
    """A body goes out when there is one, or when the request announced one (an empty POST
    with `Content-Length: 0`); never with HEAD."""
    if capture.method.upper() == "HEAD":
        return False
    names = {name.lower() for name, _ in capture.headers}
    return bool(capture.body) or "content-length" in names or "transfer-encoding" in names
