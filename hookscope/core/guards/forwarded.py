"""The real client behind a tunnel. A tunnel delivers every request from a loopback peer and
names the sender in a header it sets itself: Cloudflare's `CF-Connecting-IP`, RFC 7239
`Forwarded: for=…`, or `X-Forwarded-For`. A sender can put any of these in its own request,
so they are believed only from a loopback peer (the tunnel), and of a list only the entry the
nearest proxy appended (the last) is taken."""

from __future__ import annotations

from collections.abc import Iterable

from hookscope.core.model import Header

__all__ = ["client_address", "forwarded_client", "is_loopback"]


def is_loopback(peer: str) -> bool:
    """`peer` as the receiver records it: `host:port` or `[v6]:port`."""
    host = peer.rsplit(":", 1)[0].strip("[]")
    return host.startswith("127.") or host in {"::1", "localhost"} or host.startswith("::ffff:127.")


def forwarded_client(headers: Iterable[Header]) -> str | None:
    """The client address the nearest proxy reported, or None if no header names one."""
    cf = xff = fwd = None
    for name, value in headers:
        lname = name.lower()
        if lname == "cf-connecting-ip":
            cf = value
        elif lname == "x-forwarded-for":
            xff = value  # repeated headers: the last one is the nearest proxy's
        elif lname == "forwarded":
            fwd = value
    if cf and cf.strip():
        return cf.strip()
    if fwd:
        found = _last_forwarded_for(fwd)
        if found:
            return found
    if xff:
        last = xff.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return None


def client_address(headers: Iterable[Header], peer: str) -> str:
    """Who sent the request: the forwarded client if a tunnel (loopback peer) reported one,
    else the peer's host."""
    if is_loopback(peer):
        forwarded = forwarded_client(headers)
        if forwarded:
            return forwarded
    return peer.rsplit(":", 1)[0].strip("[]") if ":" in peer else peer


def _last_forwarded_for(value: str) -> str | None:
    found = None
    for element in value.split(","):
        for pair in element.split(";"):
            key, _, raw = pair.strip().partition("=")
            if key.lower() == "for" and raw:
                node = raw.strip().strip('"')
                if node.startswith("["):  # "[2001:db8::1]:4711"
                    node = node[1 : node.find("]")] if "]" in node else node[1:]
                elif node.count(":") == 1:  # "192.0.2.60:4711"
                    node = node.split(":", 1)[0]
                found = node
    return found
