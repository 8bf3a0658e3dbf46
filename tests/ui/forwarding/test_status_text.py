"""The Handler column's few characters."""

from __future__ import annotations

from hookscope.core.store.outbox import DeliveryRow
from hookscope.ui.forwarding.status_text import handler_status_text


def _row(state: str, attempts: int, status: int | None, target: str = "app") -> DeliveryRow:
    return DeliveryRow(1, 1, target, "queue", state, attempts, 0, 0, status, None)


def test_the_column_says_what_the_handler_last_said() -> None:
    assert handler_status_text([]) == ""
    assert handler_status_text([_row("delivered", 1, 200)]) == "→ 200"
    assert handler_status_text([_row("delivered", 3, 200)]) == "→ 200"
    assert handler_status_text([_row("pending", 3, 500)]) == "→ 500 ×3"
    assert handler_status_text([_row("failed", 8, None)]) == "→ ✕ ×8"
    assert handler_status_text([_row("pending", 0, None)]) == "…"
    assert handler_status_text([_row("pending", 2, 500)], paused={"app"}) == "⏸"
    latest_wins = [_row("delivered", 1, 200), _row("pending", 2, 503)]
    assert handler_status_text(latest_wins) == "→ 503 ×2"
