"""One delivery attempt over HTTP: the request exactly as built, the handler's answer raw.

httpx, because it writes header names in the case given, in the order given, duplicates kept
(h11 underneath), and adds nothing we have not asked for once its defaults are removed. The
answer body is read raw (a gzip answer stays gzip); the whole of it comes back (a pass-through
hands it to the sender), `capped` keeps only what the attempt record stores.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass

import httpx

from hookscope.core.model import Header

__all__ = ["ERROR_KINDS", "Sent", "deliver", "new_client"]

# What an `error` starts with: a word a person and a filter can both read.
ERROR_KINDS = ("refused", "timeout", "reset", "tls", "protocol", "error")
_HTTPX_DEFAULTS = ("accept", "accept-encoding", "user-agent", "connection")


@dataclass(slots=True)
class Sent:
    """An attempt: what went out and what came back (or `error`, `timed_out`)."""

    method: str
    url: str
    headers: tuple[Header, ...]
    started_us: int
    status: int | None = None
    response_headers: tuple[Header, ...] = ()
    response_body: bytes = b""
    duration_ms: float = 0.0
    error: str | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def new_client(*, parallel: int = 1, verify_tls: bool = True) -> httpx.AsyncClient:
    """One client per target: its connections to the handler stay open between attempts."""
    limits = httpx.Limits(max_connections=max(parallel, 1) * 2, max_keepalive_connections=parallel)
    return httpx.AsyncClient(verify=verify_tls, limits=limits, trust_env=False)


async def deliver(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    headers: tuple[Header, ...],
    body: bytes,
    *,
    timeout_s: float,
) -> Sent:
    """Send once; a network failure comes back as `error`, never raised."""
    sent = Sent(method, url, headers, time.time_ns() // 1000)
    started = time.perf_counter()
    try:
        names = {name.lower() for name, _ in headers}
        request = client.build_request(
            method,
            url,
            headers=[(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers],
            # No body and no Content-Length asked for: send none (httpx would add `: 0`).
            content=body if body or "content-length" in names else None,
            timeout=httpx.Timeout(timeout_s),
        )
        for default in _HTTPX_DEFAULTS:
            if default not in names and default in request.headers:
                del request.headers[default]
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()
        sent.status = response.status_code
        sent.response_headers = tuple(
            (n.decode("latin-1"), v.decode("latin-1")) for n, v in response.headers.raw
        )
        sent.response_body = raw
    except httpx.TimeoutException:
        sent.error = f"timeout: no answer within {timeout_s:g} s"
        sent.timed_out = True
    except httpx.ConnectError as exc:
        sent.error = _connect_error(exc)
    except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
        sent.error = f"reset: the handler closed the connection ({_reason(exc)})"
    except (httpx.LocalProtocolError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        sent.error = f"protocol: {_reason(exc)}"
    except httpx.HTTPError as exc:
        sent.error = f"error: {type(exc).__name__}: {_reason(exc)}"
    finally:
        sent.duration_ms = (time.perf_counter() - started) * 1000
    return sent


def _connect_error(exc: httpx.ConnectError) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return f"tls: {cause.reason or cause}"
        if isinstance(cause, ConnectionRefusedError) or "Connection refused" in str(cause):
            return "refused: nothing listening there (connection refused)"
        cause = cause.__cause__ or cause.__context__
    if "SSL" in str(exc) or "CERTIFICATE" in str(exc):
        return f"tls: {exc}"
    return f"refused: {_reason(exc)}"


def _reason(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__
