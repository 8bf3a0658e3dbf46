"""Bad queries: one clear line, the right place to underline, and never another exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hookscope.core.errors import HookscopeError
from hookscope.core.filters import FilterError, compile_filter
from tests.core.filters.corpus import corpus

# (query, message, the text the error underlines)
BAD: list[tuple[str, str, str]] = [
    ("stauts:200", "unknown field 'stauts' — did you mean 'status'?", "stauts"),
    ("method:GET Heder:x", "unknown field 'Heder' — did you mean 'header'?", "Heder"),
    (
        "http://example.com",
        "unknown field 'http' (to search for text with a colon, put it in quotes)",
        "http",
    ),
    ("method:GET (status:200", "unclosed parenthesis", "("),
    ("((method:GET)", "unclosed parenthesis", "("),
    ("status:200)", "unmatched ')'", ")"),
    ("()", "empty parentheses", "()"),
    ("( )", "empty parentheses", "( )"),
    ('body:"abc', "unclosed quote", '"abc'),
    ('"', "unclosed quote", '"'),
    ('""', "empty quotes: put some text between them", '""'),
    ("status:abc", "status needs a number like 200, >=400 or 5xx", "abc"),
    ("status:>=4x", "status needs a number like 200, >=400 or 5xx", ">=4x"),
    ("status:200,abc", "status needs a number like 200, >=400 or 5xx", "abc"),
    ("status:2000", "status needs a number like 200, >=400 or 5xx", "2000"),
    ("status:", "status needs a number like 200, >=400 or 5xx", "status:"),
    ("status:300..200", "the range 300..200 is empty: its start is above its end", "300..200"),
    ('status:"200"', "status needs a number like 200, >=400 or 5xx", '"200"'),
    ("size:>10q", "size needs a size like >10k, <=1mb or 100..2k", ">10q"),
    ("size:" + "9" * 5000, "size needs a size like >10k, <=1mb or 100..2k", "9" * 5000),
    ("id:-5", "id needs a number like 42, >100 or 10..20", "-5"),
    ("method:", "method needs a method, like method:POST or method:GET,HEAD", "method:"),
    ("method:GET,", "method needs a method, like method:POST or method:GET,HEAD", "GET,"),
    ("path:", "path needs a path, like path:/hooks/* (* and ? are wildcards)", "path:"),
    (
        "header:",
        "header needs a name, like header:x-github-event or header:x-github-event=push",
        "header:",
    ),
    (
        "header:=x",
        "header needs a name, like header:x-github-event or header:x-github-event=push",
        "=",
    ),
    ("header:x~[a", "invalid regular expression: unterminated character set", "[a"),
    ("header:x~a{2,1}", "invalid regular expression: min repeat greater than max repeat", "2,1}"),
    ("body:", 'body needs some text, like body:declined or body:"card declined"', "body:"),
    ('body:""', 'body needs some text, like body:declined or body:"card declined"', '""'),
    ("json:", "json needs a path, like json:$.amount>1000 or json:$.data.object.id", "json:"),
    ("json:>5", "json needs a path, like json:$.amount>1000 or json:$.data.object.id", ">"),
    ("json:$.a[", "unclosed '['", "["),
    ("json:$.a.", "invalid JSON path: expected a shorthand selector", "."),
    ("json:$.1a", "invalid JSON path: expected a shorthand selector", "1a"),
    ("json:$[?@.a=1]", "invalid JSON path: unexpected token '='", "=1]"),
    ("json:$.a=", "json needs a value after '='", "="),
    ("json:$.a>=true", "'>=' compares numbers or text, not true", "true"),
    ("json:$.a<null", "'<' compares numbers or text, not null", "null"),
    ('json:$.a~"("', "invalid regular expression: missing ), unterminated subpattern", '"("'),
    ("json:$.a~(", "unclosed parenthesis", "("),  # unquoted, a parenthesis is grammar
    ("is:strred", "unknown state is:strred — did you mean is:starred?", "strred"),
    ("is:", "is needs starred or rejected", "is:"),
    ("is:new", "is needs starred or rejected", "new"),
    ("a OR", "OR needs a term after it", "OR"),
    ("OR a", "OR needs a term before it", "OR"),
    ("a and and b", "AND needs a term after it", "and"),
    ("a AND", "AND needs a term after it", "AND"),
    ("a OR ) b", "OR needs a term after it", "OR"),
    ("NOT", "NOT needs a term after it", "NOT"),
    ("a not", "NOT needs a term after it", "not"),
    ("- a", "'-' needs a term right after it, like -method:GET", "-"),
    ("a -", "'-' needs a term right after it, like -method:GET", "-"),
    ("-OR a", "'-' needs a term right after it, like -method:GET", "-"),
    # any kind of space separates words
    ("a\u00a0b:x", "unknown field 'b' (to search for text with a colon, put it in quotes)", "b"),
    ("(" * 65 + "a" + ")" * 65, "parentheses nested more than 64 deep", "("),
]


@pytest.mark.parametrize(("query", "message", "underlined"), BAD, ids=[q[:40] for q, _, _ in BAD])
def test_bad_query_names_the_problem_and_where_it_is(
    query: str, message: str, underlined: str
) -> None:
    with pytest.raises(FilterError) as caught:
        compile_filter(query)
    error = caught.value
    assert str(error) == message
    assert query[error.position : error.position + error.length] == underlined
    assert isinstance(error, HookscopeError)  # the CLI turns it into one line and exit 2


def test_positions_point_into_the_query_not_into_the_value() -> None:
    query = "method:POST   status:>=4x"
    with pytest.raises(FilterError) as caught:
        compile_filter(query)
    assert caught.value.position == query.index(">=4x")


def test_sixty_four_levels_of_parentheses_are_fine() -> None:
    assert compile_filter("(" * 64 + "method:GET" + ")" * 64).matches_capture(corpus()[4])


def test_long_chains_of_negation_parse_without_recursion() -> None:
    assert compile_filter("-" * 5000 + "method:GET").matches_capture(corpus()[4])  # even: GET
    assert not compile_filter("NOT " * 5001 + "method:GET").matches_capture(corpus()[4])


_FRAGMENTS = st.sampled_from(
    [
        *("method:", "path:", "status:", "header:", "type:", "ctype:", "size:", "body:"),
        *("json:", "is:", "remote:", "id:", "nope:", "$", ".", "..", "[", "]", "'", '"'),
        *("(", ")", " ", "-", "NOT ", " AND ", " or ", "?", "@", "*", ">", "<", "=", "!"),
        *("~", ",", "\\", "a", "POST", "1", "0", "5xx", "10k", "1e999", "true", "null"),
        *("starred", "x-a", "[?@.a", "match(@, '(')", "length(@)", "\u00e9", "\x00", "\n"),
    ]
)
_QUERIES = st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=14).map("".join))
_CAPTURES = corpus()


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUERIES)
def test_any_text_compiles_or_raises_filter_error_only(query: str) -> None:
    try:
        capture_filter = compile_filter(query)
    except FilterError as error:
        caught: FilterError | None = error
    else:
        caught = None
        for capture in _CAPTURES:  # and a compiled filter evaluates without raising
            assert capture_filter.matches_capture(capture) in (True, False)
    if caught is not None:
        assert 0 <= caught.position <= len(query)
        assert caught.length >= 1
        assert str(caught)
        assert "\n" not in str(caught)
