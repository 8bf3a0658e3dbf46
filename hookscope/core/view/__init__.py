"""The captures a UI shows, kept without the UI: ordered, filtered, undoable deletes.

view = CaptureView(store, schedule=timer)   # schedule(seconds, fn) -> cancel
view.subscribe(listener)                    # rows_inserted / removed / reset / changed
view.handle(events)                         # or prepare() on a worker, apply() at home
"""

from hookscope.core.view.listener import ViewListener
from hookscope.core.view.pending import UNDO_SECONDS, PendingDeletes, Schedule
from hookscope.core.view.view import Arrivals, CaptureView, Counts, FilterJob, Prepared

__all__ = [
    "UNDO_SECONDS",
    "Arrivals",
    "CaptureView",
    "Counts",
    "FilterJob",
    "PendingDeletes",
    "Prepared",
    "Schedule",
    "ViewListener",
]
