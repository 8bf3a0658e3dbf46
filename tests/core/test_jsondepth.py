from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hookscope.core.jsondepth import (
    MAX_DEPTH,
    NestedTooDeepError,
    check_depth,
    nests_deeper_than,
)
from tests.core.factories import deep_json


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


# Strings full of what a depth count must not be fooled by.
_TRICKY = st.text(alphabet='[]{}"\\ab\u00e9', max_size=6)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_JSON, st.booleans())
def test_depth_is_exact_for_any_json(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    depth = depth_of(value)
    for limit in range(max(0, depth - 2), depth + 2):
        assert nests_deeper_than(text, limit) == (depth > limit), (text, limit)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 1000, 3000])
def test_the_limit(depth: int) -> None:
    body = deep_json(depth)
    assert nests_deeper_than(body) == (depth > MAX_DEPTH)
    assert nests_deeper_than(body.decode()) == (depth > MAX_DEPTH)


def test_brackets_in_strings_do_not_count() -> None:
    body = json.dumps({"log": "[" * 5000, "more": '\\"[[[' * 2000, "end": "]]" * 3000})
    assert not nests_deeper_than(body.encode())


def test_many_brackets_side_by_side_are_shallow() -> None:
    assert not nests_deeper_than(b"[" + b"[[]]," * 100_000 + b"[]]")


def test_check_depth_raises_a_value_error_that_says_so() -> None:
    with pytest.raises(NestedTooDeepError, match=f"nested too deep \\(more than {MAX_DEPTH}"):
        check_depth(deep_json(3000))
    assert issubclass(NestedTooDeepError, ValueError)
    check_depth(deep_json(MAX_DEPTH))


def test_unmatched_openers_count_as_deep_unless_asked_not_to() -> None:
    assert nests_deeper_than(b"[" * 3000)
    assert not nests_deeper_than(b"[" * 3000, unmatched=False)
    assert nests_deeper_than(deep_json(3000), unmatched=False)
