"""The send history: every webhook sent from the composer (or a replay), kept across restarts.

A `SendSummary` is the light row a history list shows; a `StoredSend` is one send in full, the
request as it went out (signing headers included) and the answer, to reopen or send again. Only
the signing scheme's name is kept, never its secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store reads history without loading httpx
    from hookscope.core.send.sender import SendResult

__all__ = ["SendSummary", "StoredSend"]


@dataclass(frozen=True, slots=True)
class SendSummary:
    id: int
    sent_us: int
    method: str
    url: str
    status: int | None  # None: no answer (`error` says why)
    error: str | None
    elapsed_ms: float
    scheme: str | None
    source: str  # where it came from, for people: "template github-push", "capture 12", …
    body_size: int
    response_size: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class StoredSend:
    id: int
    result: SendResult
    scheme: str | None
    source: str
