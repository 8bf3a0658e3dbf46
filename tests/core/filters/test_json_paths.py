"""The shortcut for plain paths (`$.a.b[0]`) selects exactly what the JSONPath library selects."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonpath import JSONPathEnvironment

from hookscope.core.filters import compile_filter
from hookscope.core.filters.json_field import singular_steps, walk_steps
from tests.core.factories import deep_json, make_capture

_ENV = JSONPathEnvironment(strict=True)
_KEYS = st.sampled_from(["a", "b", "0", "1", "é"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["a", "1"]))
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=12,
)
_STEPS = st.lists(
    st.one_of(_KEYS.map(lambda key: f"['{key}']"), st.integers(-3, 3).map(lambda i: f"[{i}]")),
    max_size=4,
)


@settings(max_examples=400, deadline=None)
@given(document=_DOCUMENTS, steps=_STEPS)
def test_plain_paths_select_what_the_library_selects(document: object, steps: list[str]) -> None:
    query = _ENV.compile("$" + "".join(steps))
    walked = singular_steps(query)
    assert walked is not None
    if isinstance(document, dict | list):
        assert walk_steps(document, walked) == query.findall(document)
    else:  # the library would parse a str as JSON text: a scalar has only its root
        assert walk_steps(document, walked) == ([document] if not steps else [])


def test_a_plain_path_tests_the_body() -> None:
    body = json.dumps({"a": [{"b": 5}, {"b": 7}]}).encode()
    capture = make_capture(body=body)
    assert compile_filter("json:$.a[-1].b=7").matches_capture(capture)
    assert not compile_filter("json:$.a[2].b").matches_capture(capture)
    assert not compile_filter("json:$.a.b").matches_capture(capture)  # names do not index arrays


def test_only_names_and_indexes_take_the_shortcut() -> None:
    assert singular_steps(_ENV.compile("$.a['b'][0][-1]")) == ("a", "b", 0, -1)
    for path in ("$.a[*]", "$..a", "$.a[0:1]", "$.a[?@.b]", "$['a','b']"):
        assert singular_steps(_ENV.compile(path)) is None, path


@pytest.mark.parametrize("depth", [1000, 3000])
@pytest.mark.parametrize(
    "query", ["type:deep", "json:$.type=deep", "json:$..secret", "json:$.a[0]", "deep"]
)
def test_bodies_nested_too_deep_are_not_json_to_filters(depth: int, query: str) -> None:
    capture = make_capture(body=deep_json(depth), target="/hooks")
    # Not JSON to `type:` and `json:`, and never an error; free text still searches the bytes.
    assert compile_filter(query).matches_capture(capture) is (query == "deep")


def test_bodies_as_deep_as_the_limit_are_json_to_filters() -> None:
    capture = make_capture(body=deep_json(250))
    assert compile_filter("type:deep").matches_capture(capture)
    assert compile_filter("json:$.type=deep").matches_capture(capture)


def test_searching_paths_skip_bodies_over_the_walk_limit_exact_paths_do_not() -> None:
    items = [{"sku": f"SKU-{i}", "price": i} for i in range(60_000)]
    body = json.dumps({"type": "bulk", "items": items}).encode()
    assert len(body) > 2 * 1024 * 1024  # a search would visit 180,000 nodes
    capture = make_capture(body=body)
    for query in ("json:$..sku=SKU-7", "json:$.items[*].price=7", "json:$.items[?@.price==7]"):
        assert not compile_filter(query).matches_capture(capture), query
        small = make_capture(body=json.dumps({"items": items[:100]}).encode())
        assert compile_filter(query).matches_capture(small), query
    assert compile_filter("json:$.items[7].sku=SKU-7").matches_capture(capture)
    assert compile_filter("json:$.type=bulk").matches_capture(capture)
