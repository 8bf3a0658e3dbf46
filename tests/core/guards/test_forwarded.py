"""Which address sent a request that came through a tunnel."""

from __future__ import annotations

from hookscope.core.guards import client_address
from hookscope.core.guards.forwarded import forwarded_client, is_loopback


def test_cloudflare_header_wins() -> None:
    headers = (("X-Forwarded-For", "1.1.1.1"), ("CF-Connecting-IP", "2001:db8::5"))
    assert forwarded_client(headers) == "2001:db8::5"


def test_forwarded_takes_the_last_for_of_the_nearest_proxy() -> None:
    headers = (("Forwarded", 'for=198.51.100.1;proto=https, for="[2001:db8:cafe::17]:4711"'),)
    assert forwarded_client(headers) == "2001:db8:cafe::17"
    assert forwarded_client((("Forwarded", "for=192.0.2.60:4711;by=x"),)) == "192.0.2.60"


def test_x_forwarded_for_takes_the_entry_the_tunnel_appended() -> None:
    spoofed = (("X-Forwarded-For", "10.0.0.1, 203.0.113.5"),)
    assert forwarded_client(spoofed) == "203.0.113.5"
    assert forwarded_client(()) is None


def test_headers_are_believed_only_from_a_loopback_peer() -> None:
    headers = (("X-Forwarded-For", "203.0.113.5"),)
    assert client_address(headers, "127.0.0.1:5000") == "203.0.113.5"
    assert client_address(headers, "[::1]:5000") == "203.0.113.5"
    assert client_address(headers, "192.0.2.9:5000") == "192.0.2.9"
    assert client_address((), "127.0.0.1:5000") == "127.0.0.1"
    assert is_loopback("127.0.0.1:1")
    assert not is_loopback("10.0.0.1:1")
