"""The headers of a forwarded request, and of a handler's answer passed back to the sender.

Forwarded exactly: order, case and duplicates as received, minus what belongs to one connection
(hop-by-hop headers, those a `Connection` header names, and `Expect`, since hookscope has read
the body already). `Host` stays where it stood, with its value kept or rewritten to the target's
(one is added first when the sender sent none, as HTTP/1.0 senders may). A body that arrived
chunked goes on with a `Content-Length` (client.py). With `forwarded_headers` the sender's
address, scheme and host are appended as `X-Forwarded-For/-Proto/-Host` and `Forwarded`.
"""

from __future__ import annotations

from hookscope.core.model import HOP_BY_HOP, Header, first_header

__all__ = ["answer_headers", "forward_headers", "hop_by_hop"]

_NOT_FORWARDED = HOP_BY_HOP | {"expect"}
# aiohttp frames the answer to the sender itself and names itself as the server.
_NOT_PASSED_BACK = HOP_BY_HOP | {"content-length"}


def hop_by_hop(headers: tuple[Header, ...]) -> frozenset[str]:
    """The lower-case names not to forward: the standard ones and any `Connection` names."""
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == "connection"
        for token in value.split(",")
        if token.strip()
    }
    return _NOT_FORWARDED | named


def forward_headers(
    headers: tuple[Header, ...],
    *,
    host: str | None = None,
    remote: str = "",
    forwarded: bool = False,
) -> tuple[Header, ...]:
    """`headers` as they go to the handler. `host`: the value that replaces `Host` (None keeps
    it). `remote` is the sender's `host:port`, for the forwarding headers."""
    dropped = hop_by_hop(headers)
    out: list[Header] = []
    for name, value in headers:
        key = name.lower()
        if key in dropped:
            continue
        if key == "host" and host is not None:
            value = host
        out.append((name, value))
    if forwarded:
        out += forwarding_headers(headers, remote)
    return tuple(out)


def forwarding_headers(headers: tuple[Header, ...], remote: str) -> list[Header]:
    address = remote.rsplit(":", 1)[0] if remote else ""
    bare = address.strip("[]")
    original_host = first_header(headers, "Host") or ""
    node = f'"[{bare}]"' if ":" in bare else bare
    forwarded = f"for={node or 'unknown'};proto=http"
    if original_host:
        forwarded += f';host="{original_host}"'
    added = [("X-Forwarded-For", bare or "unknown"), ("X-Forwarded-Proto", "http")]
    if original_host:
        added.append(("X-Forwarded-Host", original_host))
    added.append(("Forwarded", forwarded))
    return added


def answer_headers(headers: tuple[Header, ...]) -> tuple[Header, ...]:
    """A handler's answer headers as passed back to the sender: all but the framing, which the
    receiver writes for the body it sends."""
    dropped = hop_by_hop(headers) | _NOT_PASSED_BACK
    return tuple((n, v) for n, v in headers if n.lower() not in dropped)
