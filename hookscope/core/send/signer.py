"""Signing requests on their way out: a fresh timestamp on every attempt, the same event id.

Providers re-sign each delivery attempt: the timestamp is the attempt's, the message id stays
the event's (Standard Webhooks says so outright, and receivers deduplicate on it). A
`RequestSigner` (the retry runner's `SchemeSigner`, plus a signed-URL override and the headers of
its latest call) does the same for hookscope's sender, retries and replays alike:

    signer = make_signer("stripe", "whsec_…")
    await send(request, signer=signer)          # each call of signer() signs anew

`resign_capture` turns a stored capture into a request for a new URL whose stale signature,
timestamp and id headers are replaced, keeping the capture's event id, so that a handler with a
replay window accepts the replay. `preview` gives the exact headers a composer will add.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import replace
from typing import Any

import httpx

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.curl import not_replayable
from hookscope.core.formats.urls import origin_form
from hookscope.core.model import Capture, Header
from hookscope.core.send.sender import DROPPED_ON_SEND, OutgoingRequest
from hookscope.core.signing import Scheme, Secrets, get_scheme
from hookscope.core.signing.headers import HeaderError
from hookscope.core.signing.names import signature_header_names
from hookscope.core.signing.signer import SchemeSigner

__all__ = [
    "RequestSigner",
    "SigningAuth",
    "capture_event_id",
    "make_signer",
    "preview",
    "replay_url",
    "resign_capture",
    "signature_header_names",
    "strip_signature_headers",
    "unsigned",
]

Clock = Callable[[], float]

# A message id no real request carries: signing with it shows which header holds the id.
_PROBE_ID = "hookscope-probe-id"


class RequestSigner(SchemeSigner):
    """A `Signer` (see sender.py): called with a body and a URL, it returns the headers that
    sign them now. The message id is fixed when the signer is made; the timestamp is read from
    `clock` at every call. `signed_url`, when given, is what the scheme signs (Twilio, Square
    sign the URL the provider calls, which may differ from where a replay goes). The secret is
    checked when the signer is made (`SigningInputError`), before anything is sent."""

    def __init__(
        self,
        scheme: Scheme[Any, Any] | str,
        secret: Secrets,
        *,
        msg_id: str | None = None,
        clock: Clock = time.time,
        signed_url: str | None = None,
    ) -> None:
        super().__init__(scheme, secret, msg_id=msg_id, clock=clock)
        self.signed_url = signed_url
        self.last_headers: tuple[Header, ...] = ()  # what the latest call added

    def __call__(self, body: bytes, url: str) -> list[Header]:
        headers = super().__call__(body, self.signed_url or url)
        self.last_headers = tuple(headers)
        return headers

    def __repr__(self) -> str:  # never the secret, not even in a traceback
        return f"RequestSigner({self.scheme.name!r}, msg_id={self.msg_id!r})"


def make_signer(
    scheme: Scheme[Any, Any] | str,
    secret: Secrets,
    *,
    msg_id: str | None = None,
    clock: Clock = time.time,
    signed_url: str | None = None,
) -> RequestSigner:
    """A signer for a scheme, by name or object (`SigningInputError` for a bad secret)."""
    return RequestSigner(scheme, secret, msg_id=msg_id, clock=clock, signed_url=signed_url)


def preview(
    scheme: Scheme[Any, Any] | str,
    secret: Secrets,
    body: bytes,
    url: str,
    *,
    msg_id: str | None = None,
    clock: Clock = time.time,
) -> list[Header]:
    """The exact headers signing `body` for `url` adds now: for a composer's live preview."""
    return make_signer(scheme, secret, msg_id=msg_id, clock=clock)(body, url)


def strip_signature_headers(
    headers: tuple[Header, ...], scheme: Scheme[Any, Any]
) -> tuple[Header, ...]:
    """`headers` without the scheme's signature, timestamp and id headers (for re-signing)."""
    names = signature_header_names(scheme)
    return tuple((n, v) for n, v in headers if n.lower() not in names)


def capture_event_id(capture: Capture, scheme: Scheme[Any, Any], secret: Secrets) -> str | None:
    """The message id the capture's headers carry for `scheme`, if the scheme signs one."""
    if not scheme.signs_id:
        return None
    try:
        found = scheme.read(capture.headers).msg_id
    except HeaderError:  # no signature to read: the id header alone may still be there
        found = None
    if found:
        return found
    probe = scheme.sign(b"", secret, msg_id=_PROBE_ID, timestamp=0, url="http://probe/")
    id_names = [name.lower() for name, value in probe if value == _PROBE_ID]
    for name, value in capture.headers:
        if name.lower() in id_names and value.strip():
            return value.strip()
    return None


def replay_url(base_url: str, capture: Capture) -> str:
    """`base_url` followed by the capture's own path and query (a replay's usual target)."""
    return base_url.rstrip("/") + origin_form(capture.target)


def resign_capture(
    capture: Capture,
    scheme: Scheme[Any, Any] | str,
    secret: Secrets,
    url: str,
    *,
    clock: Clock = time.time,
    signed_url: str | None = None,
) -> tuple[OutgoingRequest, RequestSigner]:
    """The capture as a request to `url`, signed afresh, and the signer to re-sign retries.

    The body goes out byte for byte. The scheme's old signature, timestamp and id headers give
    way to fresh ones at the place where they stood; the event id is the capture's where the
    scheme has one, so receivers see a redelivery of the same event, not a new one."""
    reason = not_replayable(capture)
    if reason:
        raise HookscopeError(f"this capture cannot be replayed: it was {reason}")
    chosen = get_scheme(scheme) if isinstance(scheme, str) else scheme
    signer = make_signer(
        chosen,
        secret,
        msg_id=capture_event_id(capture, chosen, secret),
        clock=clock,
        signed_url=signed_url,
    )
    kept = tuple((n, v) for n, v in capture.headers if n.lower() not in DROPPED_ON_SEND)
    headers = _put_in_place(kept, signer(capture.body, url), signature_header_names(chosen))
    request = OutgoingRequest(capture.method, url, headers, capture.body)
    return request, signer


def _put_in_place(
    headers: tuple[Header, ...], signed: list[Header], replaced: set[str]
) -> tuple[Header, ...]:
    """Signed headers where the old ones of the same name stood (in the old name's case, as the
    receiver saw it), other stale signature headers dropped, new ones appended."""
    fresh = {name.lower(): (name, value) for name, value in signed}
    out: list[Header] = []
    for name, value in headers:
        key = name.lower()
        if key in fresh:
            out.append((name, fresh.pop(key)[1]))
        elif key not in replaced:
            out.append((name, value))
    out += [pair for pair in signed if pair[0].lower() in fresh]
    return tuple(out)


class SigningAuth(httpx.Auth):
    """A `RequestSigner` for plain httpx clients: `client.post(url, content=…, auth=auth)`.
    httpx reads the body before `auth_flow` runs, so the signature covers the exact bytes."""

    requires_request_body = True

    def __init__(self, signer: Callable[[bytes, str], list[Header]]) -> None:
        self.signer = signer

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        for name, value in self.signer(request.content, str(request.url)):
            request.headers[name] = value  # replaces a stale header of the same name
        yield request


def unsigned(request: OutgoingRequest, scheme: Scheme[Any, Any]) -> OutgoingRequest:
    """`request` without the scheme's signing headers: what a composer reopens to re-sign."""
    return replace(request, headers=strip_signature_headers(request.headers, scheme))
