"""What a capture's record says about its forwarding, when it is committed (`listen --ndjson`).

A pass-through target's answer is known then (the sender got it); a queued delivery is only
queued: its attempts follow later, in the store (`hookscope forward --status`, the app)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hookscope.core.forward.passthrough import ERROR_HEADER
from hookscope.core.forward.target import ForwardTarget, Mode
from hookscope.core.model import Capture, first_header

__all__ = ["forward_outcome"]


def forward_outcome(
    capture: Capture, targets: Iterable[ForwardTarget], paused: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """One entry per target the capture goes to: `{"target", "mode", "status", "error"}` for
    the pass-through that answered it, `{"target", "mode": "queue", "state": "queued"}` (or
    `"paused"`) for the others."""
    if capture.rejected or not capture.method:
        return []
    out: list[dict[str, Any]] = []
    for target in targets:
        if capture.rule == target.rule:
            error = first_header(capture.response_headers, ERROR_HEADER)
            out.append(
                {
                    "target": target.name,
                    "mode": Mode.PASS_THROUGH.value,
                    "url": target.url_for(capture.target),
                    "status": None if error else capture.response_status,
                    "error": error,
                }
            )
        elif target.matches(capture.target):
            state = "paused" if target.name in paused else "queued"
            out.append({"target": target.name, "mode": Mode.QUEUE.value, "state": state})
    return out
