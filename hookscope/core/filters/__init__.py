"""The filter language: find captures by method, path, status, headers, event type, size, body
text and values inside JSON bodies, joined with AND, OR, NOT and parentheses.

    flt = compile_filter('method:POST json:$.amount>1000 -is:starred')   # or FilterError
    flt.matches_capture(capture)                  # one capture in memory, e.g. on arrival

`HELP` is the user's guide (the app's help dialog shows it; README has the same syntax).
Matching over a whole store, reading only what a query needs, is the store's job:
`hookscope.core.store.filtering.select_ids`. A FilterError carries `position` and `length`,
so a query box can underline the mistake.
"""

from hookscope.core.filters.compiled import CaptureFilter, compile_filter
from hookscope.core.filters.errors import FilterCancelledError, FilterError
from hookscope.core.filters.help import HELP

__all__ = [
    "HELP",
    "CaptureFilter",
    "FilterCancelledError",
    "FilterError",
    "compile_filter",
]
