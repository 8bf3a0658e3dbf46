"""The filter language, capture by capture: every field, operator, case rule and JSON test."""

from __future__ import annotations

import pytest

from hookscope.core.filters import compile_filter
from hookscope.core.filters.parser import FIELDS
from hookscope.core.model import Capture
from tests.core.factories import make_capture
from tests.core.filters.cases import CASES
from tests.core.filters.corpus import NAMES, numbered

CAPTURES = numbered()


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[query for query, _ in CASES])
def test_query_matches_exactly_the_expected_captures(query: str, expected: frozenset[str]) -> None:
    capture_filter = compile_filter(query)
    matched = {
        name for name, capture in CAPTURES.items() if capture_filter.matches_capture(capture)
    }
    assert matched == expected


def test_the_table_covers_every_field_and_keyword() -> None:
    queries = " ".join(query.lower() for query, _ in CASES)
    for field in FIELDS:
        assert f"{field.name}:" in queries, field.name
    for keyword in (" and ", " or ", "not ", " -", "(", '"'):
        assert keyword in queries, keyword
    matched_somewhere = {name for _, expected in CASES for name in expected}
    assert matched_somewhere == set(NAMES)


def test_matches_a_capture_that_has_no_id_yet() -> None:
    capture = make_capture()  # POST /hooks/stripe, a JSON payment_intent.succeeded
    assert capture.id is None
    assert compile_filter("method:POST json:$.amount=4200").matches_capture(capture)
    assert not compile_filter("id:>0").matches_capture(capture)


def test_event_type_comes_from_headers_first_then_the_json_body() -> None:
    by_header = make_capture(headers=(("X-GitHub-Event", "issues"),), body=b'{"type":"x"}')
    by_body = make_capture(headers=(), body=b'{"type":"invoice.paid"}')
    assert compile_filter("type:issues").matches_capture(by_header)
    assert not compile_filter("type:x").matches_capture(by_header)
    assert compile_filter("type:invoice.*").matches_capture(by_body)


def test_glob_question_mark_is_exactly_one_character() -> None:
    short, long = make_capture(target="/a"), make_capture(target="/ab")
    query = compile_filter("path:/?")
    assert query.matches_capture(short)
    assert not query.matches_capture(long)


def test_star_matches_across_slashes_and_the_empty_string() -> None:
    query = compile_filter("path:/hooks/*")
    assert query.matches_capture(make_capture(target="/hooks/"))
    assert query.matches_capture(make_capture(target="/hooks/a/b/c"))
    assert not query.matches_capture(make_capture(target="/hooks"))


def test_latin1_header_values_compare_as_received() -> None:
    capture = make_capture(headers=(("X-Name", "caf\xe9"),))
    assert compile_filter("header:x-name=caf\xe9").matches_capture(capture)
    assert compile_filter("header:x-name=caf?").matches_capture(capture)


def test_body_search_handles_bytes_that_are_not_utf8() -> None:
    capture = make_capture(body=b"\xff\xfeprefix NEEDLE \x80")
    assert compile_filter("needle").matches_capture(capture)
    assert compile_filter("body:needle").matches_capture(capture)
    assert not compile_filter("json:$").matches_capture(capture)


@pytest.mark.parametrize(
    ("body", "query", "expected"),
    [
        (b"42", "json:$=42", True),  # a bare scalar has only a root
        (b"42", "json:$.a", False),
        (b'"text"', "json:$=text", True),
        (b'"[1,2]"', "json:$[0]", False),  # a JSON string is not parsed again
        (b"  {}  ", "json:$", True),
        (b"{", "json:$", False),
        (b"", "json:$", False),
        (b"null", "json:$=null", True),
        (b"[1, 2, 3]", "json:$[-1]=3", True),
        (b"[1, 2, 3]", "json:$>2", True),  # the root array stands for its elements
        (b"[1, 2, 3]", "json:$>3", False),
        (b'{"a": {"b": [10, 20]}}', "json:$.a.b[1]>=20", True),
        (b'{"a": 1e400}', "json:$.a>1e300", True),
        (b'{"a": NaN}', "json:$.a>0", False),
        (b'{"a": "x"}', "json:$.a<y", True),
        (b'{"a": ""}', 'json:$.a=""', True),
        (b'{"a": "x y"}', 'json:$.a="x y"', True),
        (b'{"k-1": 5}', "json:$['k-1']=5", True),
        ('{"caf\u00e9": 1}'.encode("utf-16"), "json:$['caf\u00e9']=1", True),
        (b'{"a": [1, [2]]}', "json:$.a=2", False),  # one level of array only
    ],
)
def test_json_edge_cases(body: bytes, query: str, expected: bool) -> None:
    assert compile_filter(query).matches_capture(make_capture(body=body)) is expected


def test_pathologically_deep_json_neither_matches_nor_raises() -> None:
    body = b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert not compile_filter("json:$..a").matches_capture(make_capture(body=body))


def test_needs_flags_say_what_a_query_reads() -> None:
    meta = compile_filter("method:POST status:>=400 type:push -is:starred")
    assert (meta.needs_headers, meta.needs_body, meta.row_test() is not None) == (
        False,
        False,
        True,
    )
    headers = compile_filter("header:x-a OR method:GET")
    assert (headers.needs_headers, headers.needs_body, headers.row_test()) == (True, False, None)
    for query in ("word", "body:x", "json:$.a", "method:GET OR -json:$"):
        flt = compile_filter(query)
        assert (flt.needs_body, flt.needs_headers, flt.row_test()) == (True, False, None), query
    everything = compile_filter("")
    assert everything.matches_all
    assert not everything.needs_body


def test_a_filter_is_reusable_and_keeps_no_state_between_captures() -> None:
    flt = compile_filter("json:$.items[?@.price > $.limit]")
    low = make_capture(body=b'{"limit": 100, "items": [{"price": 50}]}')
    high = make_capture(body=b'{"limit": 10, "items": [{"price": 50}]}')
    assert [flt.matches_capture(c) for c in (low, high, low, high)] == [False, True, False, True]


def _names(captures: dict[str, Capture], query: str) -> set[str]:
    flt = compile_filter(query)
    return {name for name, capture in captures.items() if flt.matches_capture(capture)}


def test_and_binds_tighter_than_or_on_both_sides() -> None:
    left = _names(CAPTURES, "method:GET status:404 OR is:starred")
    right = _names(CAPTURES, "is:starred OR method:GET status:404")
    grouped = _names(CAPTURES, "method:GET (status:404 OR is:starred)")
    assert left == right == {"plain", "shopify"}
    assert grouped == {"plain"}


@pytest.mark.parametrize(
    "number",
    ["-9223372036854775809", "18446744073709551616", "123456789012345678901234567890"],
)
def test_integers_past_64_bits_compare_exactly(number: str) -> None:
    capture = make_capture(body=f'{{"n": {number}}}'.encode())
    assert compile_filter(f"json:$.n={number}").matches_capture(capture)
    assert not compile_filter(f"json:$.n={int(number) + 1}").matches_capture(capture)
    assert compile_filter(f"json:$.n<{int(number) + 1}").matches_capture(capture)


def test_quoted_values_keep_parentheses_spaces_and_literal_wildcards() -> None:
    stripe = make_capture(headers=(("User-Agent", "Stripe/1.0 (+https://stripe.com)"),))
    assert compile_filter('header:user-agent~"^Stripe/(1|2)"').matches_capture(stripe)
    assert compile_filter('header:user-agent="Stripe/1.0 (+https://stripe.com)"').matches_capture(
        stripe
    )
    star = make_capture(target="/files/*.json")
    other = make_capture(target="/files/a.json")
    assert compile_filter('path:"/files/*.json"').matches_capture(star)
    assert not compile_filter('path:"/files/*.json"').matches_capture(other)
    assert compile_filter("path:/files/*.json").matches_capture(other)


@pytest.mark.parametrize(
    ("query", "target", "expected"),
    [
        ("path:/v[1]/hook", "/v[1]/hook", True),  # the filter language has no [sets]
        ("path:/v[1]/hook", "/v1/hook", False),
        ('path:"/v*"/hook', "/v*/hook", True),  # quoted * is literal
        ('path:"/v*"/hook', "/vX/hook", False),
        ("path:/V*", "/v1", False),  # paths keep their case
        ("path:/v?/*", "/v1/a/b", True),
    ],
)
def test_path_globs(query: str, target: str, expected: bool) -> None:
    capture = make_capture(target=target)
    assert compile_filter(query).matches_capture(capture) is expected
