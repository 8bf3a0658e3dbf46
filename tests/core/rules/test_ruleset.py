"""Which rule answers: order, globs, methods, the first N, time windows, swaps and resets."""

from __future__ import annotations

import threading

import pytest

from hookscope.core.responder import Responder
from hookscope.core.rules import (
    HANGUP_CLOSE,
    HANGUP_RESET,
    Action,
    Answer,
    Rule,
    RuleError,
    RuleSet,
    Window,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def answered_by(rules: RuleSet, target: str, method: str = "POST") -> str | None:
    answer = rules.answer(method, target)
    return None if answer is None else answer.rule


def test_first_matching_rule_wins_and_no_match_gives_none() -> None:
    rules = RuleSet(
        [
            Rule("exact", path="/hooks/stripe", status=401),
            Rule("hooks", path="/hooks/*", status=503),
            Rule("any-json", path="*.json", status=202),
        ]
    )
    assert answered_by(rules, "/hooks/stripe?x=1") == "exact"  # the query is not part of it
    assert answered_by(rules, "/hooks/github") == "hooks"
    assert answered_by(rules, "/hooks/a/b/c.json") == "hooks"  # * spans slashes
    assert answered_by(rules, "/data/c.json") == "any-json"
    assert answered_by(rules, "/other") is None
    assert answered_by(rules, "/HOOKS/x") is None  # case-sensitive, as paths are


def test_globs_match_the_percent_decoded_path() -> None:
    rules = RuleSet([Rule("spaced", path="/a b/?"), Rule("set", path="/v[12]/*")])
    assert answered_by(rules, "/a%20b/x") == "spaced"
    assert answered_by(rules, "/v2/hook") == "set"
    assert answered_by(rules, "/v3/hook") is None
    assert answered_by(rules, "http://example.test/v1/x") == "set"  # absolute-form target


def test_methods_limit_a_rule_case_insensitively() -> None:
    rules = RuleSet([Rule("posts", methods=("post", "PUT"))])
    assert answered_by(rules, "/", "POST") == "posts"
    assert answered_by(rules, "/", "put") == "posts"
    assert answered_by(rules, "/", "GET") is None


def test_first_n_then_falls_through_to_the_next_rule() -> None:
    rules = RuleSet(
        [Rule("fail", path="/f", first=2, status=503), Rule("created", path="/f", status=201)]
    )
    statuses = [rules.answer("POST", "/f") for _ in range(4)]
    assert [a.status for a in statuses if a] == [503, 503, 201, 201]
    assert rules.answered() == {"fail": 2, "created": 2}


def test_first_counts_only_matching_requests() -> None:
    rules = RuleSet([Rule("fail", path="/f", methods=("POST",), first=1, status=503)])
    assert rules.answer("GET", "/f") is None
    assert rules.answer("POST", "/other") is None
    assert answered_by(rules, "/f") == "fail"  # the first *matching* request
    assert answered_by(rules, "/f") is None


def test_window_counts_seconds_since_loaded() -> None:
    clock = FakeClock()
    rules = RuleSet([Rule("down", window=Window(10, 20), status=503)], clock=clock)
    seen = []
    for at in (0, 9.99, 10, 19.99, 20, 500):
        clock.now = 1000.0 + at
        seen.append(answered_by(rules, "/x"))
    assert seen == [None, None, "down", "down", None, None]
    open_ended = RuleSet([Rule("later", window=Window(5))], clock=clock)
    clock.now += 4
    assert answered_by(open_ended, "/") is None
    clock.now += 1
    assert answered_by(open_ended, "/") == "later"


def test_reset_restarts_counts_and_the_window_clock() -> None:
    clock = FakeClock()
    rules = RuleSet(
        [Rule("once", path="/o", first=1), Rule("early", path="/w", window=Window(0, 10))],
        clock=clock,
    )
    assert answered_by(rules, "/o") == "once"
    assert answered_by(rules, "/o") is None
    clock.now += 60
    assert answered_by(rules, "/w") is None
    assert rules.seconds_since_loaded() == 60
    rules.reset()
    assert answered_by(rules, "/o") == "once"
    assert answered_by(rules, "/w") == "early"
    assert rules.answered() == {"once": 1, "early": 1}


def test_replace_swaps_the_whole_set() -> None:
    rules = RuleSet([Rule("old", first=1)])
    assert answered_by(rules, "/") == "old"
    rules.replace([Rule("new", status=418)])
    assert rules.rules == (Rule("new", status=418),)
    assert answered_by(rules, "/") == "new"
    rules.replace([])
    assert rules.answer("POST", "/") is None
    assert len(rules) == 0


def test_disabled_rules_are_skipped() -> None:
    rules = RuleSet([Rule("off", enabled=False, status=500), Rule("on", status=202)])
    assert answered_by(rules, "/") == "on"
    assert rules.rules[0].name == "off"  # still part of the set the app edits
    assert rules.answered() == {"on": 1}


def test_names_must_be_unique() -> None:
    with pytest.raises(RuleError, match="rules 1 and 2 are both named 'x'"):
        RuleSet([Rule("x"), Rule("x", path="/y")])


def test_answers_of_each_action() -> None:
    rules = RuleSet(
        [
            Rule(
                "r", path="/r", status=429, headers=(("Retry-After", "3"),), body=b"b", delay_s=0.25
            ),
            Rule("h", path="/h", action=Action.HOLD, hold_s=30),
            Rule("x", path="/x", action=Action.RESET, delay_s=1.5),
        ]
    )
    assert rules.answer("GET", "/r") == Answer(429, (("Retry-After", "3"),), b"b", 0.25, "r")
    assert rules.answer("GET", "/h") == Answer(0, delay_s=30, rule="h", hangup=HANGUP_CLOSE)
    assert rules.answer("GET", "/x") == Answer(0, delay_s=1.5, rule="x", hangup=HANGUP_RESET)


def test_responder_asks_the_rules_first_then_uses_its_own_options() -> None:
    teapot = RuleSet([Rule("teapot", path="/t*", status=418)])
    responder = Responder(status=202, fail_first=1, rules=teapot)
    assert responder.answer("POST", "/tea").status == 418
    assert responder.answer("POST", "/tea").rule == "teapot"
    assert responder.answer("POST", "/a").status == 503  # fail-first, per path
    assert responder.answer("POST", "/a").status == 202
    responder.reset()
    assert responder.answer("POST", "/a").status == 503


def test_first_n_is_exact_under_concurrent_requests() -> None:
    rules = RuleSet([Rule("limited", first=100, status=503)])
    counts: list[int] = []

    def hammer() -> None:
        counts.append(sum(1 for _ in range(200) if rules.answer("POST", "/") is not None))

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 100
    assert rules.answered() == {"limited": 100}


def test_swaps_from_another_thread_never_mix_rule_sets() -> None:
    # Every rule set here answers one status on every rule; a request must see one set whole.
    sets = [[Rule(f"r{i}-{k}", path=f"/{k}*", status=200 + i) for k in range(5)] for i in range(5)]
    rules = RuleSet(sets[0])
    stop = threading.Event()

    def swapper() -> None:
        i = 0
        while not stop.is_set():
            i = (i + 1) % len(sets)
            rules.replace(sets[i])

    thread = threading.Thread(target=swapper)
    thread.start()
    try:
        for _ in range(5000):
            answer = rules.answer("POST", "/4x")
            assert answer is not None
            assert answer.rule == f"r{answer.status - 200}-4"
    finally:
        stop.set()
        thread.join()
