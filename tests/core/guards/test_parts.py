"""The secret prefix and the token bucket on their own."""

from __future__ import annotations

from hookscope.core.guards import RateLimiter, SecretPath, new_secret


def test_secret_path_admits_only_its_prefix_and_strips_it() -> None:
    guard = SecretPath("ab" * 16)
    prefix = guard.prefix
    assert prefix == "/h/" + "ab" * 16
    assert guard.admits(prefix)
    assert guard.admits(prefix + "/x")
    assert guard.admits(prefix + "?q")
    assert not guard.admits(prefix + "c/x")
    assert not guard.admits("/x" + prefix)
    assert not guard.admits("/h/\udcff" + "ab" * 15)  # undecodable bytes are just a mismatch
    assert guard.strip(prefix + "/hooks/a?b=1") == "/hooks/a?b=1"
    assert guard.strip(prefix + "?b=1") == "/?b=1"
    assert guard.strip("/other") == "/other"
    assert len(new_secret()) == 32
    assert new_secret() != new_secret()


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.retry_after("a") == 1
    now[0] = 0.5  # one token back
    assert limiter.allow("a")
    assert not limiter.allow("a")
    assert limiter.allow("b")  # buckets are per client


def test_split_prefix_finds_any_runs_prefix_for_display() -> None:
    from hookscope.core.guards import split_prefix

    prefix = "/h/" + "0a" * 16
    assert split_prefix(prefix + "/hooks/x") == (prefix, "/hooks/x")
    assert split_prefix(prefix) == (prefix, "/")
    assert split_prefix("/h/short/hooks") == ("", "/h/short/hooks")
    assert split_prefix("/hooks") == ("", "/hooks")
