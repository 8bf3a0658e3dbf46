"""Captures that every export format must carry: binary and non-UTF-8 bodies, latin-1 headers,
odd targets, duplicates, refused and malformed requests."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace

from hookscope.core.model import Capture
from tests.core.factories import make_capture

BINARY = bytes(range(256)) * 4 + b"\x00\r\n\r\n\xff"
LATIN1_BODY = "caf\xe9 cr\xe8me br\xfbl\xe9e \xa3\xff\xfe".encode("latin-1")  # not UTF-8
SHELLY_TEXT = (
    "h\u00e9llo w\u00f6rld \u2713 'single' \"double\" $HOME `id` $(id) \\ %s %% ! * ? [a]\n"
    "\ttabbed line\nlast line without newline"
).encode()
BIG_TEXT = json.dumps({"items": [{"n": i, "text": "x" * 40} for i in range(2500)]}).encode()
GZIPPED = gzip.compress(b'{"event":"order_created","amount":4200}', mtime=0)
H = (("Host", "hooks.example.test"),)


def _c(name: str, **fields: object) -> tuple[str, Capture]:
    return name, make_capture(**fields)


CASES: list[tuple[str, Capture]] = [
    _c(
        "json",
        target="/hooks/stripe?x=1",
        headers=(*H, ("Content-Type", "application/json")),
    ),
    _c(
        "binary",
        target="/bin",
        headers=(*H, ("Content-Type", "application/octet-stream")),
        body=BINARY,
    ),
    _c(
        "latin1-body-and-headers",
        target="/latin",
        headers=(
            *H,
            ("Content-Type", "text/plain; charset=iso-8859-1"),
            ("X-Latin", "caf\xe9 \xa3\xff"),
        ),
        body=LATIN1_BODY,
    ),
    _c(
        "shell-hostile-utf8-text",
        target="/text?q='quoted'&d=$HOME",
        headers=(*H, ("Content-Type", "text/plain; charset=utf-8"), ("X-Quote", 'it\'s "x"')),
        body=SHELLY_TEXT,
    ),
    _c(
        "form",
        target="/form",
        headers=(*H, ("Content-Type", "application/x-www-form-urlencoded")),
        body=b"a=1&b=two+words&c=%E2%9C%93&empty=",
    ),
    _c(
        "gzip-kept-raw",
        target="/gz",
        headers=(*H, ("Content-Type", "application/json"), ("Content-Encoding", "gzip")),
        body=GZIPPED,
    ),
    _c("empty-post", target="/empty", headers=(*H, ("Content-Length", "0")), body=b""),
    _c("get-no-body", method="GET", target="/get?x=1", headers=H, body=b""),
    _c(
        "get-with-body",
        method="GET",
        target="/search",
        headers=(*H, ("Content-Type", "application/json")),
        body=b'{"q":"x"}',
    ),
    _c(
        "duplicate-mixed-case-and-empty-headers",
        target="/dup",
        headers=(
            *H,
            ("X-Dup", "1"),
            ("x-dup", "2"),
            ("X-DUP", "3"),
            ("X-MiXeD-CaSe", "Value"),
            ("X-Empty", ""),
            ("User-Agent", "Sender/1.0"),
            ("Accept", "*/*"),
        ),
        body=b"{}",
    ),
    _c(
        "odd-percent-escapes",
        target="/p%2Fa%20th/%zz/%E2%82%AC/%?x=%00&y=%ff&&z",
        headers=H,
        body=b"",
    ),
    _c("fragment-in-target", target="/frag?q=1#not-a-fragment", headers=H, body=b"f"),
    # Only an import can bring such a target: HTTP parsers refuse it on the wire.
    _c("raw-bytes-in-target", target="/caf\xe9/a b%zz%41\\'?q=\xff&r=1", headers=H, body=b"z"),
    _c("dots-and-brackets", target="/a/../b/./c/[x]{y}?q=[1]", headers=H, body=b"d"),
    _c("purge-method", method="PURGE", target="/cache/item", headers=H, body=b""),
    _c(
        "http-1.0",
        target="/old",
        headers=(("Content-Length", "3"),),
        body=b"old",
        http_version="1.0",
    ),
    _c(
        "chunked",
        target="/chunked",
        headers=(*H, ("Transfer-Encoding", "chunked"), ("Connection", "keep-alive")),
        body=b"hello world",
    ),
    _c(
        "big-text",
        target="/big",
        headers=(*H, ("Content-Type", "application/json")),
        body=BIG_TEXT,
    ),
    _c(
        "carriage-returns-and-nul",
        target="/cr",
        headers=(*H, ("Content-Type", "text/plain")),
        body=b"line 1\r\nline 2\r\n\x00end",
    ),
    _c(
        "expect-continue",
        target="/expect",
        headers=(*H, ("Expect", "100-continue"), ("Content-Type", "text/plain")),
        body=b"hello",
    ),
    _c("head", method="HEAD", target="/head", headers=H, body=b""),
    _c(
        "absolute-form",
        method="GET",
        target="http://proxy.example.test/abs?q=1",
        headers=H,
        body=b"",
    ),
    _c(
        "rich-response",
        target="/answered",
        headers=(*H, ("Cookie", "a=1; b=2")),
        body=b"x",
        response_status=418,
        response_headers=(
            ("Content-Type", "application/octet-stream"),
            ("Set-Cookie", "sid=abc; Path=/; HttpOnly"),
            ("Location", "/elsewhere"),
        ),
        response_body=b"\x00\xff\xfe binary answer",
        rule="teapot",
        starred=True,
        note="look at this one",
    ),
    _c(
        "refused-too-large",
        target="/huge",
        headers=(*H, ("Content-Length", str(20 * 1024 * 1024))),
        body=b"",
        body_size=20 * 1024 * 1024,
        response_status=413,
        rejected="body-too-large",
    ),
    _c(
        "malformed",
        method="",
        target="",
        headers=(),
        body=b"",
        http_version="",
        response_status=400,
        rejected="malformed-request: Invalid method encountered",
    ),
]

NAMES = [name for name, _ in CASES]


def corpus() -> list[Capture]:
    """Fresh copies with ids 1..n and increasing times, in the order of CASES."""
    return [
        replace(capture, id=i, received_us=capture.received_us + i * 1_000_001)
        for i, (_, capture) in enumerate(CASES, start=1)
    ]


UNPARSEABLE = {"raw-bytes-in-target"}  # a real receiver answers 400 to these


def replayable() -> list[tuple[str, Capture]]:
    """The cases curl can send again to a real receiver (refused and malformed requests have
    no body to send)."""
    return [
        (name, capture)
        for name, capture in zip(NAMES, corpus(), strict=True)
        if not capture.rejected and name not in UNPARSEABLE
    ]
