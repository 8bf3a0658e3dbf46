"""What a CaptureView tells a UI: plain calls, no toolkit. Override what you need."""

from __future__ import annotations

from collections.abc import Sequence

from hookscope.core.model import CaptureSummary

__all__ = ["ViewListener"]


class ViewListener:
    def rows_inserted(self, first: int, rows: Sequence[CaptureSummary]) -> None:
        """`rows` now stand at `first`.. in the view's (arrival) order."""

    def rows_removed(self, ids: frozenset[int]) -> None:
        """These rows left the view."""

    def rows_reset(self) -> None:
        """Everything may have changed (history loaded, filter applied, cleared, undo)."""

    def row_changed(self, row: CaptureSummary) -> None:
        """This row's marks (star or note) changed; its place did not."""
