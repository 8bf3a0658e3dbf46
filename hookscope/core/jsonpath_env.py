"""The one JSONPath environment: RFC 9535 and nothing else (python-jsonpath in strict mode), for
the filter language (`json:`) and for redaction (`--redact-json`), so a path that works in one
works in the other and the help can point at the standard.

A compiled path is safe to share between threads (its filter cache lives for one evaluation).
"""

from __future__ import annotations

from jsonpath import JSONPathEnvironment

__all__ = ["ENV", "absolute", "root_prefix"]

ENV = JSONPathEnvironment(strict=True)


def root_prefix(text: str) -> str:
    """What goes before `text` to make it a path: users often leave out the `$`
    (`data.card` is `$.data.card`, `['a b']` is `$['a b']`)."""
    if text.startswith("$"):
        return ""
    return "$" if text.startswith("[") else "$."


def absolute(text: str) -> str:
    """`text` with its root."""
    return root_prefix(text) + text
