"""Globs: the one pattern dialect for paths and names, wherever hookscope matches them (fault
rules, forwarding targets, guards, signature settings, redaction and the filter language), so a
pattern means the same thing in every place a user writes one.

- `*` is any run of characters, `/` included: `/hooks/*` covers `/hooks/a/b`;
- `?` is exactly one character;
- `[abc]`, `[a-z]` is one character of a set, `[!abc]` one not in it; a `[` without its `]` is
  literal;
- the whole string must match, and case matters unless `ignore_case` (header and parameter
  names).

These are the shell's (Python's `fnmatch`) rules, which the fault rules file has always used.
`escape` makes text literal (the filter language's quoted parts). Simple shapes (`/exact`,
`/prefix*`, `*suffix`, `*middle*`) become plain string operations: filters run them per row.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["Matcher", "compile_glob", "escape", "glob_match"]

Matcher = Callable[[str], bool]

_SPECIAL = re.compile(r"[*?\[]")


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether `text` matches `pattern` as a whole."""
    return compile_glob(pattern, ignore_case=ignore_case)(text)


def escape(text: str) -> str:
    """`text` as a pattern that matches only itself."""
    return _SPECIAL.sub(lambda m: f"[{m.group()}]", text)


@lru_cache(maxsize=1024)
def compile_glob(pattern: str, *, ignore_case: bool = False) -> Matcher:
    """A test for one pattern, reused: patterns come from a handful of settings and rules."""
    if ignore_case:
        folded = _compile(pattern.lower())
        return lambda text: folded(text.lower())
    return _compile(pattern)


def _compile(pattern: str) -> Matcher:
    if pattern == "*":
        return lambda text: True
    if "?" not in pattern and "[" not in pattern:
        pieces = pattern.split("*")
        if len(pieces) == 1:
            return lambda text: text == pattern
        if len(pieces) == 2:
            head, tail = pieces
            least = len(head) + len(tail)
            return lambda text: len(text) >= least and text.startswith(head) and text.endswith(tail)
        if len(pieces) == 3 and not pieces[0] and not pieces[2]:
            middle = pieces[1]
            return lambda text: middle in text
    match = re.compile(fnmatch.translate(pattern)).match  # (?s:…)\Z: whole string, any char
    return lambda text: match(text) is not None
