"""A capture as the request a target receives: URL, headers (see headers.py), the body's bytes.

Re-signing goes through `signer.resign_capture`: the scheme's old signature, timestamp and id
headers make way for fresh ones signed with the handler's secret, keeping the event id, at every
attempt (a fresh timestamp each time, as providers do)."""

from __future__ import annotations

import time
from collections.abc import Callable

from hookscope.core.forward.headers import forward_headers
from hookscope.core.forward.target import ForwardTarget, HostMode
from hookscope.core.model import Capture, Header, first_header

__all__ = ["build_request"]


def build_request(
    capture: Capture, target: ForwardTarget, *, clock: Callable[[], float] = time.time
) -> tuple[str, tuple[Header, ...]]:
    """(URL, headers) for delivering `capture` to `target`; the body goes as `capture.body`."""
    url = target.url_for(capture.target)
    host = target.netloc if target.host is HostMode.REWRITE else None
    headers = capture.headers
    if target.resign is not None:
        from hookscope.core.send.signer import resign_capture

        assert target.secret is not None  # checked when the target was made
        request, _ = resign_capture(capture, target.resign, target.secret, url, clock=clock)
        # resign_capture leaves Host and Content-Length to the client; keep the sender's Host.
        original_host = first_header(capture.headers, "Host")
        headers = request.headers
        if original_host is not None:
            headers = (("Host", original_host), *headers)
    out = forward_headers(
        headers, host=host, remote=capture.remote, forwarded=target.forwarded_headers
    )
    return url, out
