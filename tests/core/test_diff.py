from __future__ import annotations

from collections.abc import Sequence

import pytest

from hookscope.core.diff import Change, diff_captures, diff_json
from tests.core.factories import deep_json, make_capture


def kinds(changes: Sequence[Change]) -> list[tuple[str, str, str, str, str]]:
    return [(c.where, c.path, c.kind, c.before, c.after) for c in changes]


def test_json_bodies_compare_regardless_of_key_order() -> None:
    a = make_capture(body=b'{"type":"charge.succeeded","amount":4200,"meta":{"x":1}}')
    b = make_capture(body=b'{"meta": {"x": 1}, "amount": 4200, "type": "charge.succeeded"}')
    diff = diff_captures(a, b)
    assert diff.identical
    assert diff.body_mode == "json"


def test_json_changes_are_named_by_path() -> None:
    before = {
        "amount": 4200,
        "items": [{"sku": "A"}, {"sku": "B"}],
        "old": True,
        "n": 1,
        "odd key": "x",
    }
    after = {"amount": 5000, "items": [{"sku": "A"}], "new": None, "n": 1.0, "odd key": 2}
    assert kinds(diff_json(before, after)) == [
        ("body", "$.amount", "changed", "4200", "5000"),
        ("body", "$.items[1]", "removed", '{"sku": "B"}', ""),
        ("body", "$.new", "added", "", "null"),
        ("body", '$["odd key"]', "type", '"x"', "2"),
        ("body", "$.old", "removed", "true", ""),
    ]  # 1 and 1.0 are the same number


def test_request_line_headers_and_text_bodies() -> None:
    a = make_capture(
        method="POST",
        target="/a?x=1",
        response_status=200,
        headers=(("X-Sig", "1"), ("X-Dup", "a"), ("x-dup", "b"), ("Old", "o")),
        body=b"line one\nline two\nline three\n",
    )
    b = make_capture(
        method="PUT",
        target="/a?x=2",
        response_status=503,
        headers=(("x-sig", "2"), ("X-Dup", "a"), ("x-dup", "b"), ("New", "n")),
        body=b"line one\nline 2\nline three\n",
    )
    assert kinds(diff_captures(a, b).changes) == [
        ("request", "method", "changed", "POST", "PUT"),
        ("request", "query", "changed", "x=1", "x=2"),
        ("request", "status answered", "changed", "200", "503"),
        ("header", "New", "added", "", "n"),
        ("header", "Old", "removed", "o", ""),
        ("header", "x-sig", "changed", "1", "2"),
        ("body", "lines 2-2", "changed", "line two", "line 2"),
    ]


def test_binary_bodies_compare_as_bytes() -> None:
    diff = diff_captures(make_capture(body=b"\xff\x00"), make_capture(body=b"\xff\x01\x02"))
    assert diff.body_mode == "bytes"
    assert kinds(diff.changes) == [("body", "bytes", "changed", "2 bytes", "3 bytes")]


@pytest.mark.parametrize("depth", [1000, 3000])
def test_bodies_nested_too_deep_compare_as_text(depth: int) -> None:
    first = make_capture(body=deep_json(depth))
    second = make_capture(body=deep_json(depth).replace(b"s3cr3t", b"secret"))
    result = diff_captures(first, second)
    assert result.body_mode == "text"
    assert [c.kind for c in result.changes if c.where == "body"] == ["changed"]


def test_diff_json_walks_values_deeper_than_the_recursion_limit() -> None:
    def nest(leaf: object, depth: int) -> object:
        value = leaf
        for _ in range(depth):
            value = {"a": [value]}
        return value

    changes = diff_json(nest(1, 3000), nest(2, 3000))
    assert [c.kind for c in changes] == ["changed"]
    assert changes[0].path == "$" + ".a[0]" * 3000
    assert (changes[0].before, changes[0].after) == ("1", "2")
