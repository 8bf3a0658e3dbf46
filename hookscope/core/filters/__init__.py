"""The filter language: find captures by method, path, status, headers, event type, size, body
text and values inside JSON bodies, joined with AND, OR, NOT and parentheses.

    flt = compile_filter('method:POST json:$.amount>1000 -is:starred')   # or FilterError
    flt.matches_capture(capture)                  # one capture in memory, e.g. on arrival
    select_ids(store, flt, store.all_summaries())  # the matching ids, reading only what it must

`HELP` is the user's guide (the app's help dialog shows it; README has the same syntax).
A FilterError carries `position` and `length`, so a query box can underline the mistake.
"""

from hookscope.core.filters.bulk import select_ids
from hookscope.core.filters.compiled import CaptureFilter, compile_filter
from hookscope.core.filters.errors import FilterCancelledError, FilterError
from hookscope.core.filters.help import HELP

__all__ = [
    "HELP",
    "CaptureFilter",
    "FilterCancelledError",
    "FilterError",
    "compile_filter",
    "select_ids",
]
