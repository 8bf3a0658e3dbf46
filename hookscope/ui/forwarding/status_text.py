"""The table's Handler column: what the handler last said about a capture, in a few characters.

    → 200        delivered            → 500 ×3   failing (or given up) after 3 attempts
    …            queued, not tried    ⏸          its target is paused
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from hookscope.core.store.outbox import DELIVERED, PENDING, DeliveryRow

__all__ = ["handler_status_text"]


def handler_status_text(deliveries: Sequence[DeliveryRow], paused: Collection[str] = ()) -> str:
    """The latest delivery of a capture (of any target) as the column shows it."""
    if not deliveries:
        return ""
    last = deliveries[-1]
    if last.state == PENDING and last.target in paused:
        return "⏸"
    if last.state == PENDING and last.attempts == 0:
        return "…"
    answer = str(last.last_status) if last.last_status is not None else "✕"
    text = f"→ {answer}"
    if last.state != DELIVERED and last.attempts > 1:
        text += f" ×{last.attempts}"
    return text
