from __future__ import annotations

import pytest

from hookscope.core.model import format_timestamp, parse_timestamp
from tests.core.factories import make_capture


@pytest.mark.parametrize(
    ("target", "path", "query"),
    [
        ("/a/b?x=1&y=2", "/a/b", "x=1&y=2"),
        ("/p%2Fa%20th/%zz", "/p/a th/%zz", ""),
        ("/caf%C3%A9?", "/café", ""),
        ("http://example.com/abs?q=1", "/abs", "q=1"),
        ("http://example.com", "/", ""),
        ("*", "*", ""),
    ],
)
def test_path_and_query_from_target(target: str, path: str, query: str) -> None:
    capture = make_capture(target=target)
    assert capture.path == path
    assert capture.query == query


def test_headers_are_case_insensitive_for_lookup_but_kept_as_sent() -> None:
    capture = make_capture(headers=(("X-Dup", "1"), ("x-dup", "2"), ("Content-Type", "A/B; q=1")))
    assert capture.header("X-DUP") == "1"
    assert capture.header_values("x-Dup") == ["1", "2"]
    assert capture.content_type == "a/b"
    assert capture.headers[1] == ("x-dup", "2")


@pytest.mark.parametrize("us", [0, 1, 1_795_000_000_123_456, 1_795_000_000_999_999])
def test_timestamps_round_trip_to_the_microsecond(us: int) -> None:
    text = format_timestamp(us)
    assert text.endswith("Z")
    assert len(text.split(".")[1]) == 7
    assert parse_timestamp(text) == us


def test_parse_timestamp_accepts_offsets() -> None:
    assert parse_timestamp("1970-01-01T01:00:00.000001+01:00") == 1


# -- header lookup: one rule everywhere (names in any case, values without surrounding OWS) ----

HEADERS = (
    ("Content-Type", " application/json\t"),
    ("X-Many", "one"),
    ("x-many", "  two "),
    ("X-Empty", "   "),
)


def test_first_header_ignores_name_case_and_strips_whitespace() -> None:
    from hookscope.core.model import first_header

    assert first_header(HEADERS, "content-type") == "application/json"
    assert first_header(HEADERS, "X-MANY") == "one"
    assert first_header(HEADERS, "x-empty") == ""
    assert first_header(HEADERS, "missing") is None


def test_header_values_keeps_order_and_strips_whitespace() -> None:
    from hookscope.core.model import header_values

    assert header_values(HEADERS, "x-many") == ["one", "two"]
    assert header_values(HEADERS, "missing") == []


def test_capture_lookups_follow_the_same_rule() -> None:
    capture = make_capture(headers=HEADERS)
    assert capture.header("CONTENT-TYPE") == "application/json"
    assert capture.header_values("X-Many") == ["one", "two"]
    assert capture.content_type == "application/json"


def test_the_raw_headers_are_kept_as_received() -> None:
    capture = make_capture(headers=HEADERS)
    assert capture.headers == HEADERS  # lookups interpret; they never rewrite what was stored

