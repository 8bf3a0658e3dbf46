"""The one glob dialect: fault rules, forwarding targets, guards, signature settings, redaction
and filters all match paths and names with it, so a pattern means the same thing everywhere."""

from __future__ import annotations

import pytest

from hookscope.core.glob import compile_glob, escape, glob_match


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("*", "", True),
        ("*", "/any/path/at/all", True),
        ("/hooks/*", "/hooks/", True),
        ("/hooks/*", "/hooks/stripe", True),
        ("/hooks/*", "/hooks/stripe/deep/down", True),  # * crosses /
        ("/hooks/*", "/hook", False),
        ("*/stripe", "/hooks/stripe", True),
        ("*/stripe", "/hooks/stripe/x", False),
        ("*stripe*", "/hooks/stripe/x", True),
        ("*stripe*", "/hooks/github", False),
        ("/a*b*c", "/aXbYc", True),
        ("/a*b*c", "/aXcYb", False),
        ("/v?/hook", "/v1/hook", True),
        ("/v?/hook", "/v10/hook", False),
        ("/v?/hook", "/v/hook", False),
        ("/v[12]/hook", "/v2/hook", True),
        ("/v[12]/hook", "/v3/hook", False),
        ("/v[0-9]/hook", "/v7/hook", True),
        ("/v[!0-9]/hook", "/v7/hook", False),
        ("/v[!0-9]/hook", "/vx/hook", True),
        ("/a[", "/a[", True),  # an unclosed [ is literal
        ("/exact", "/exact", True),
        ("/exact", "/exact/", False),  # the whole string must match
        ("/exact", "/exactly", False),
        ("/Hooks/*", "/hooks/x", False),  # case matters
        ("*", "line\nbreak", True),  # * spans any character, newlines too
        ("a?c", "a\nc", True),
    ],
)
def test_semantics(pattern: str, text: str, expected: bool) -> None:
    assert glob_match(pattern, text) is expected
    assert compile_glob(pattern)(text) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("X-Acme-*", "x-acme-token", True),
        ("x-acme-*", "X-ACME-TOKEN", True),
        ("X-Acme-?", "x-acme-1", True),
        ("X-[AB]cme", "x-bcme", True),
        ("authorization", "Authorization", True),
        ("x-*-key", "X-API-KEY", True),
        ("x-*-key", "X-API-KEYS", False),
    ],
)
def test_ignore_case(pattern: str, text: str, expected: bool) -> None:
    assert glob_match(pattern, text, ignore_case=True) is expected
    assert glob_match(pattern, text) is (pattern == text)


@pytest.mark.parametrize("text", ["/files/*.json", "a?b", "[x]", "*", "?", "[!a]", "plain"])
def test_escape_makes_text_literal(text: str) -> None:
    matcher = compile_glob(escape(text))
    assert matcher(text)
    assert not matcher(text + "x")
    if any(c in text for c in "*?["):
        assert not matcher(text.replace("*", "Z").replace("?", "Z").replace("[", "Z"))


def test_escaped_parts_mix_with_wildcards() -> None:
    matcher = compile_glob(escape("/files/*") + "*")
    assert matcher("/files/*.json")
    assert not matcher("/files/a.json")


def test_compiled_matchers_are_reused() -> None:
    assert compile_glob("/hooks/*") is compile_glob("/hooks/*")
