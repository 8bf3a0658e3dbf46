"""One JSONPath environment (RFC 9535, strict) for the filter language and for redaction: a path
that one of them accepts, the other accepts too, and both write it without the `$` alike."""

from __future__ import annotations

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.filters import FilterError, compile_filter
from hookscope.core.jsonpath_env import ENV, absolute
from hookscope.core.redact import RedactionProfile, Redactor

STANDARD = ["$.data.card.number", "$..email", "$.items[*].token", "$['odd-key']", "$.a[?@.b>1]"]
EXTENSIONS = ["$.a[~]", "$.a.~", "$[?@.a=~/x/]", "$.a[?@.b==undefined]"]  # python-jsonpath's own


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$.a", "$.a"), ("a.b", "$.a.b"), ("['a b']", "$['a b']"), ("$", "$")],
)
def test_absolute_adds_the_root(text: str, expected: str) -> None:
    assert absolute(text) == expected


def test_the_environment_is_strict() -> None:
    assert ENV.strict


@pytest.mark.parametrize("path", STANDARD)
def test_standard_paths_work_in_both(path: str) -> None:
    compile_filter(f"json:{path}")
    Redactor(RedactionProfile(json_paths=(path,)))


@pytest.mark.parametrize("path", EXTENSIONS)
def test_extensions_are_refused_by_both(path: str) -> None:
    with pytest.raises(HookscopeError, match="bad JSON path"):
        Redactor(RedactionProfile(json_paths=(path,)))
    with pytest.raises(FilterError, match="invalid JSON path"):
        compile_filter(f"json:{path}")
