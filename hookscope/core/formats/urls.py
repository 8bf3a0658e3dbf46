"""Between request targets (exact latin-1 text, as on the wire) and absolute URLs (for HAR)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from hookscope.core.model import Capture
from hookscope.core.origin import HOST, valid_origin

__all__ = ["har_url", "origin_form", "target_from_url"]

# Printable ASCII that a URL may carry as is; `%` stays so that existing escapes survive.
_URL_SAFE = "!$&'()*+,-./:;=?@[]_~%"


def har_url(capture: Capture) -> str:
    """An absolute URL for the capture: its Host (or `localhost`) and its target, with bytes
    that a URL cannot hold percent-encoded. Lossy for odd targets, which HAR readers reject
    whole; our own HAR keeps the exact target beside it."""
    target = capture.target
    if target.startswith(("http://", "https://")):
        return _url_safe(target)
    if not target.startswith("/"):
        target = "/" + target
    if capture.origin is not None and valid_origin(capture.origin):
        return capture.origin + _url_safe(target)
    host = capture.header("Host") or ""
    if not HOST.fullmatch(host):
        host = "localhost"
    return f"http://{host}{_url_safe(target)}"


def target_from_url(url: str) -> str:
    """The origin-form request target of a URL (path and query, no fragment), as latin-1 text:
    characters beyond ASCII are percent-encoded as UTF-8, as a browser sends them."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query or url.split("#", 1)[0].endswith("?"):
        target += "?" + parts.query
    return quote(target, safe=_URL_SAFE + '"<>\\^`{|}')


def origin_form(target: str) -> str:
    """An absolute-form target (`http://host/p?q`, as sent to proxies) as path and query; any
    other target as it is."""
    if not target.startswith(("http://", "https://")):
        return target
    after_scheme = target.split("://", 1)[1]
    cut = min((i for i in (after_scheme.find("/"), after_scheme.find("?")) if i >= 0), default=-1)
    rest = after_scheme[cut:] if cut >= 0 else ""
    return rest if rest.startswith("/") else "/" + rest


def _url_safe(target: str) -> str:
    return quote(target.encode("latin-1"), safe=_URL_SAFE)
