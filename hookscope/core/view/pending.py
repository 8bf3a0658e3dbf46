"""Deletes held back for an undo: the rows leave the view at once, the store forgets them only
when the undo window has passed (or the app quits).

The store keeps no tombstones and gives every added capture a new id, so re-adding deleted
captures would change their ids. Holding the delete back keeps ids, stars and notes exactly as
they were, and the store never holds a capture twice.

No clock or thread of its own: `schedule(seconds, callback)` (a Qt single-shot timer in the app,
a list in tests) calls back on the owner's thread and returns a function that cancels it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hookscope.core.model import CaptureSummary

__all__ = ["UNDO_SECONDS", "PendingDeletes", "Schedule"]

UNDO_SECONDS = 8
Schedule = Callable[[float, Callable[[], None]], Callable[[], None]]


@dataclass(eq=False)
class _Batch:
    rows: list[CaptureSummary]
    cancel: Callable[[], None] = field(default=lambda: None, repr=False)


class PendingDeletes:
    def __init__(
        self,
        commit: Callable[[list[int]], object],
        schedule: Schedule,
        seconds: float = UNDO_SECONDS,
    ) -> None:
        self._commit_ids = commit
        self._schedule = schedule
        self.seconds = seconds
        self._batches: list[_Batch] = []
        self.on_change: Callable[[], None] = lambda: None  # a batch was held, undone or done

    def hidden_ids(self) -> set[int]:
        """Captures deleted in the view but still in the store, waiting for their undo."""
        return {row.id for batch in self._batches for row in batch.rows}

    def newest_count(self) -> int:
        """How many rows the newest held batch has (0: nothing to undo)."""
        return len(self._batches[-1].rows) if self._batches else 0

    def hold(self, rows: Iterable[CaptureSummary]) -> None:
        batch = _Batch(list(rows))
        self._batches.append(batch)
        batch.cancel = self._schedule(self.seconds, lambda: self._commit(batch))
        self.on_change()

    def undo(self) -> list[CaptureSummary]:
        """Take back the newest batch still held; [] if there is none."""
        if not self._batches:
            return []
        batch = self._batches.pop()
        batch.cancel()
        self.on_change()
        return batch.rows

    def commit_all(self) -> None:
        """Delete everything held now (the app quits, or a test does not wait)."""
        for batch in list(self._batches):
            self._commit(batch)

    def forget(self, ids: set[int] | None = None) -> None:
        """Rows the store lost by other means (cleared, deleted elsewhere) cannot come back."""
        for batch in list(self._batches):
            batch.rows = [row for row in batch.rows if ids is not None and row.id not in ids]
            if not batch.rows:
                self._batches.remove(batch)
                batch.cancel()
        self.on_change()

    def _commit(self, batch: _Batch) -> None:
        if batch not in self._batches:
            return
        self._batches.remove(batch)
        batch.cancel()
        self._commit_ids([row.id for row in batch.rows])
        self.on_change()
