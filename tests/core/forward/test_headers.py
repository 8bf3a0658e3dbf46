"""Which headers go on to a handler, and which come back to the sender."""

from __future__ import annotations

from hookscope.core.forward.headers import answer_headers, forward_headers

RECEIVED = (
    ("Host", "hooks.example:8080"),
    ("X-Dup", "1"),
    ("x-dup", "2"),
    ("Connection", "keep-alive, X-Hop"),
    ("X-Hop", "per-connection"),
    ("Keep-Alive", "timeout=5"),
    ("Transfer-Encoding", "chunked"),
    ("Expect", "100-continue"),
    ("Stripe-Signature", "t=1,v1=abc"),
)


def test_forwarded_headers_keep_order_case_and_duplicates_minus_hop_by_hop() -> None:
    assert forward_headers(RECEIVED) == (
        ("Host", "hooks.example:8080"),
        ("X-Dup", "1"),
        ("x-dup", "2"),
        ("Stripe-Signature", "t=1,v1=abc"),
    )


def test_host_is_rewritten_in_place() -> None:
    out = forward_headers((("X-A", "1"), ("hOsT", "public.example"), ("X-B", "2")), host="h:3000")
    assert out == (("X-A", "1"), ("hOsT", "h:3000"), ("X-B", "2"))


def test_forwarding_headers_name_the_sender() -> None:
    out = forward_headers((("Host", "hooks.example"),), remote="10.0.0.7:5123", forwarded=True)
    assert out[1:] == (
        ("X-Forwarded-For", "10.0.0.7"),
        ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Host", "hooks.example"),
        ("Forwarded", 'for=10.0.0.7;proto=http;host="hooks.example"'),
    )
    v6 = forward_headers((), remote="[::1]:5123", forwarded=True)
    assert ("Forwarded", 'for="[::1]";proto=http') in v6
    assert ("X-Forwarded-For", "::1") in v6


def test_answer_headers_leave_framing_to_the_receiver() -> None:
    got = (
        ("Content-Type", "application/json"),
        ("Content-Length", "12"),
        ("Transfer-Encoding", "chunked"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("Content-Encoding", "gzip"),
    )
    assert answer_headers(got) == (
        ("Content-Type", "application/json"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("Content-Encoding", "gzip"),
    )
