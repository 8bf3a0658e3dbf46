"""Copy as curl, HTTPie or Python for a request that has not been sent yet (the composer's), by
the same builders that copy captures: the request becomes a capture-like record of what would go
on the wire, its URL split into a base and a target.

With a signer, the copy carries the signing headers of this moment (a timestamp signed now goes
stale like any other: a receiver with a 5-minute tolerance refuses the copy after that)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.curl import curl_command
from hookscope.core.formats.httpie import httpie_command
from hookscope.core.formats.python_httpx import python_httpx_snippet
from hookscope.core.formats.urls import target_from_url
from hookscope.core.model import Capture, now_us
from hookscope.core.send.sender import OutgoingRequest, Signer, prepare

__all__ = ["as_capture", "curl_for", "httpie_for", "python_for"]


def as_capture(request: OutgoingRequest) -> tuple[Capture, str]:
    """The request as a capture (target as it goes on the wire) and the base URL it goes to."""
    parts = urlsplit(request.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HookscopeError(f"{request.url!r} is not an http:// or https:// URL")
    base = f"{parts.scheme}://{parts.netloc}"
    capture = Capture(
        method=request.method,
        target=target_from_url(request.url),
        headers=request.headers,
        body=request.body,
        received_us=now_us(),
    )
    return capture, base


def curl_for(request: OutgoingRequest, signer: Signer | None = None) -> str:
    capture, base = as_capture(prepare(request, signer))
    return curl_command(capture, base)


def httpie_for(request: OutgoingRequest, signer: Signer | None = None) -> str:
    capture, base = as_capture(prepare(request, signer))
    return httpie_command(capture, base)


def python_for(request: OutgoingRequest, signer: Signer | None = None) -> str:
    capture, base = as_capture(prepare(request, signer))
    return python_httpx_snippet(capture, base)
