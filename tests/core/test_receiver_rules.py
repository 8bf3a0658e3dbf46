"""Fault rules in the real receiver: real HTTP on 127.0.0.1, a real store. Each rule's answer
reaches the sender, and every request is recorded with the rule that answered it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from hookscope.core.formats import har
from hookscope.core.model import Capture
from hookscope.core.receiver import Receiver
from hookscope.core.record import to_record
from hookscope.core.responder import Responder
from hookscope.core.rules import Action, Rule, RuleSet, Window
from hookscope.core.store import Store


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.db") as opened:
        yield opened


@pytest.fixture
def serve(store: Store) -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(rules: RuleSet) -> Receiver:
        receiver = Receiver(store, port=0, responder=Responder(rules=rules))
        receiver.start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


def root_cause(exc: BaseException) -> BaseException:
    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    return exc


def captures(store: Store) -> list[Capture]:
    return list(store.iter_captures())


def test_status_headers_body_and_delay_reach_the_sender(store: Store, serve) -> None:
    rule = Rule(
        "teapot",
        path="/hooks/*",
        methods=("POST",),
        status=418,
        headers=(
            ("Retry-After", "7"),
            ("X-Dup", "a"),
            ("X-Dup", "b"),
            ("Content-Type", "text/plain; charset=utf-8"),
        ),
        body=b"short and stout\n",
        delay_s=0.2,
    )
    receiver = serve(RuleSet([rule]))
    with httpx.Client(base_url=receiver.url) as client:
        hit = client.post("/hooks/x", content=b"{}")
        missed = client.get("/hooks/x")  # another method: the default answer
    assert hit.status_code == 418
    assert hit.headers["retry-after"] == "7"
    assert hit.headers.get_list("x-dup") == ["a", "b"]
    assert hit.headers["content-type"] == "text/plain; charset=utf-8"
    assert hit.content == b"short and stout\n"
    assert hit.elapsed.total_seconds() >= 0.2
    assert missed.status_code == 200
    first, second = captures(store)
    assert (first.rule, first.response_status, first.rejected) == ("teapot", 418, None)
    assert first.response_headers == rule.headers
    assert first.response_body == rule.body
    assert (second.rule, second.response_status) == (None, 200)


def test_fail_first_then_succeed(store: Store, serve) -> None:
    rules = RuleSet(
        [
            Rule("flaky", path="/f", first=2, status=503),
            Rule("created", path="/f", status=201, body=b'{"ok":true}'),
        ]
    )
    receiver = serve(rules)
    with httpx.Client(base_url=receiver.url) as client:
        statuses = [client.post("/f", content=b"e").status_code for _ in range(4)]
    assert statuses == [503, 503, 201, 201]
    assert [c.rule for c in captures(store)] == ["flaky", "flaky", "created", "created"]


def test_time_window(store: Store, serve) -> None:
    clock = FakeClock()
    receiver = serve(RuleSet([Rule("outage", window=Window(10, 20), status=503)], clock=clock))
    statuses = []
    with httpx.Client(base_url=receiver.url) as client:
        for at in (5, 15, 25):
            clock.now = at
            statuses.append(client.post("/w", content=b"").status_code)
    assert statuses == [200, 503, 200]
    assert [c.rule for c in captures(store)] == [None, "outage", None]


def test_hold_past_the_client_timeout_still_records(store: Store, serve) -> None:
    receiver = serve(RuleSet([Rule("hang", action=Action.HOLD, hold_s=0.6)]))
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{receiver.url}/slow", content=b"payload", timeout=0.1)
    # Committed before the hold began: the sender's timeout loses nothing.
    (capture,) = captures(store)
    assert capture.body == b"payload"
    assert (capture.rule, capture.rejected, capture.response_status) == (
        "hang",
        "held-then-closed",
        0,
    )


def test_hold_ends_by_closing_without_an_answer(store: Store, serve) -> None:
    receiver = serve(RuleSet([Rule("hang", action=Action.HOLD, hold_s=0.2)]))
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        httpx.post(f"{receiver.url}/slow", content=b"x", timeout=5)
    assert captures(store)[0].rejected == "held-then-closed"


def test_reset_aborts_the_connection_and_records_the_rule(store: Store, serve) -> None:
    receiver = serve(RuleSet([Rule("drop", path="/drop", action=Action.RESET)]))
    with httpx.Client(base_url=receiver.url) as client:
        with pytest.raises(httpx.ReadError) as caught:
            client.post("/drop", content=b"gone")
        after = client.post("/fine", content=b"ok")  # the receiver carries on
    assert isinstance(root_cause(caught.value), ConnectionResetError)  # RST, not a clean close
    assert after.status_code == 200
    dropped, fine = captures(store)
    assert (dropped.rule, dropped.rejected, dropped.response_status) == (
        "drop",
        "connection-reset",
        0,
    )
    assert dropped.body == b"gone"
    assert fine.rejected is None


def test_rule_is_exported(store: Store, serve) -> None:
    rules = [Rule("gone", path="/g", status=410), Rule("x", path="/x", action=Action.RESET)]
    receiver = serve(RuleSet(rules))
    with httpx.Client(base_url=receiver.url) as client:
        client.post("/g", content=b"1")
        with pytest.raises(httpx.TransportError):
            client.post("/x", content=b"2")
    gone, reset = captures(store)
    assert to_record(gone)["rule"] == "gone"
    assert to_record(gone)["response_status"] == 410
    assert to_record(reset)["rule"] == "x"
    assert to_record(reset)["rejected"] == "connection-reset"
    entry = har.entry(reset)
    assert entry["response"]["status"] == 0  # HAR's "no response"
    assert entry["_hookscope"]["rule"] == "x"


def test_rules_swapped_while_serving(store: Store, serve) -> None:
    rules = RuleSet([Rule("first", status=500)])
    receiver = serve(rules)
    with httpx.Client(base_url=receiver.url) as client:
        before = client.post("/", content=b"").status_code
        rules.replace([Rule("second", status=202)])
        after = client.post("/", content=b"").status_code
        rules.replace([])
        none = client.post("/", content=b"").status_code
    assert (before, after, none) == (500, 202, 200)
    assert [c.rule for c in captures(store)] == ["first", "second", None]


def test_too_large_bodies_are_refused_before_any_rule(store: Store) -> None:
    receiver = Receiver(
        store, port=0, max_body=10, responder=Responder(rules=RuleSet([Rule("any", status=202)]))
    )
    receiver.start()
    try:
        response = httpx.post(f"{receiver.url}/big", content=b"x" * 100)
    finally:
        receiver.stop()
    assert response.status_code == 413
    (capture,) = captures(store)
    assert (capture.rejected, capture.rule) == ("body-too-large", "max-body")
