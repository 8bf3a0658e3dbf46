"""Sending webhooks: one request with httpx, signed on the way out, the answer kept raw.

The body goes out byte for byte. Headers go out in the given order and case; httpx's own
defaults (`Accept`, `Accept-Encoding`, `User-Agent`, `Connection`) are only sent where the
request had them, so a replay looks like the original. Redirects are not followed (providers
do not follow them) unless asked, and TLS is verified unless the caller turns it off. A
redirect to another origin (scheme, host or port) never carries credentials or signatures:
`Authorization`, `Cookie`, `Proxy-Authorization`, every signature scheme's headers, the
signer's own, and any header named like a secret are dropped before the next hop.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import httpx

from hookscope.core.model import NOT_COPIED_ON_RESEND, Header
from hookscope.core.secret_names import looks_secret
from hookscope.core.signing.names import all_signature_header_names

__all__ = [
    "DROPPED_ON_SEND",
    "OutgoingRequest",
    "SendResult",
    "Signer",
    "redirect_drops",
    "send",
]

# Written by httpx for the request it sends, or belonging to the old connection.
DROPPED_ON_SEND = NOT_COPIED_ON_RESEND
_HTTPX_DEFAULTS = ("accept", "accept-encoding", "user-agent", "connection")
_MAX_REDIRECTS = 20  # as httpx and curl's default of 50 both bound a loop; providers follow none
_CREDENTIALS = frozenset({"authorization", "proxy-authorization", "cookie"})

# A signer returns the headers that sign a body for a URL (a fresh timestamp each call).
Signer = Callable[[bytes, str], list[Header]]


@dataclass(frozen=True, slots=True)
class OutgoingRequest:
    method: str
    url: str
    headers: tuple[Header, ...] = ()
    body: bytes = b""


@dataclass(slots=True)
class SendResult:
    """What was sent (with the signing headers) and what came back, or why nothing did."""

    request: OutgoingRequest
    status: int | None = None
    response_headers: tuple[Header, ...] = ()
    response_body: bytes = b""
    http_version: str = ""
    elapsed_ms: float = 0.0
    error: str | None = None
    sent_at: float = field(default_factory=time.time)
    timed_out: bool = False  # no answer within the timeout (`error` says so too)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def prepare(request: OutgoingRequest, signer: Signer | None) -> OutgoingRequest:
    """The request as it will go out: hop-by-hop headers dropped, signing headers set (a
    header the signer writes replaces an old one of the same name, e.g. a stale signature)."""
    return _prepare(request, signer)[0]


def _prepare(request: OutgoingRequest, signer: Signer | None) -> tuple[OutgoingRequest, set[str]]:
    """`prepare`, and the lower-case names of the headers the signer wrote."""
    headers = [(n, v) for n, v in request.headers if n.lower() not in DROPPED_ON_SEND]
    replaced: set[str] = set()
    if signer is not None:
        signed = signer(request.body, request.url)
        replaced = {name.lower() for name, _ in signed}
        headers = [(n, v) for n, v in headers if n.lower() not in replaced] + signed
    return replace(request, headers=tuple(headers)), replaced


async def send(
    request: OutgoingRequest,
    *,
    signer: Signer | None = None,
    timeout_s: float = 10.0,
    verify_tls: bool = True,
    follow_redirects: bool = False,
    client: httpx.AsyncClient | None = None,
) -> SendResult:
    """Send once. Network failures come back as a result with `error` set, never raised."""
    outgoing, signed = _prepare(request, signer)
    own_client = client is None
    if client is None:
        client = httpx.AsyncClient(verify=verify_tls)
    started = time.perf_counter()
    result = SendResult(outgoing)
    try:
        built = client.build_request(
            outgoing.method,
            outgoing.url,
            headers=list(outgoing.headers),
            content=outgoing.body,
            timeout=httpx.Timeout(timeout_s),
        )
        _drop_unasked_defaults(built, outgoing.headers)
        response = await _send_following(client, built, follow_redirects, signed)
        try:
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()
        result.status = response.status_code
        result.response_headers = tuple(
            (n.decode("latin-1"), v.decode("latin-1")) for n, v in response.headers.raw
        )
        result.response_body = raw  # as received: a gzip answer stays gzip, like captures
        result.http_version = response.http_version.removeprefix("HTTP/")
    except httpx.TimeoutException:
        result.error = f"timed out after {timeout_s:g} s"
        result.timed_out = True
    except httpx.ConnectError as exc:
        result.error = f"could not connect to {outgoing.url}: {_reason(exc)}"
    except httpx.InvalidURL as exc:
        result.error = f"invalid URL {outgoing.url!r}: {exc}"
    except httpx.UnsupportedProtocol:
        result.error = f"{outgoing.url!r} is not an http:// or https:// URL"
    except httpx.HTTPError as exc:
        result.error = f"{type(exc).__name__}: {_reason(exc)}"
    finally:
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        if own_client:
            await client.aclose()
    return result


async def _send_following(
    client: httpx.AsyncClient, request: httpx.Request, follow: bool, signed: set[str]
) -> httpx.Response:
    """Send, and with `follow` take each redirect that httpx prepares (method and body as the
    status says), dropping credentials whenever the next hop goes to another origin."""
    response = await client.send(request, stream=True, follow_redirects=False)
    for _ in range(_MAX_REDIRECTS):
        following = response.next_request
        if not follow or following is None:
            return response
        await response.aclose()
        if _origin(following.url) != _origin(request.url):
            for name in {key.lower() for key in following.headers}:
                if name in signed or redirect_drops(name):
                    del following.headers[name]
        request = following
        response = await client.send(request, stream=True, follow_redirects=False)
    await response.aclose()
    raise httpx.TooManyRedirects(f"more than {_MAX_REDIRECTS} redirects", request=request)


def redirect_drops(name: str) -> bool:
    """Whether a header stays behind when a redirect leaves the origin."""
    lname = name.lower()
    return lname in _CREDENTIALS or lname in all_signature_header_names() or looks_secret(name)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def _drop_unasked_defaults(request: httpx.Request, asked: Sequence[Header]) -> None:
    names = {name.lower() for name, _ in asked}
    for default in _HTTPX_DEFAULTS:
        if default not in names and default in request.headers:
            del request.headers[default]


def _reason(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:  # httpx wraps the socket error; say what the socket said
        if isinstance(cause, ConnectionRefusedError) or "Connection refused" in str(cause):
            return "connection refused (is anything listening there?)"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__
