"""The answer a capture got, reconstructed for display, matches what went over the wire."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.receiver import Receiver
from hookscope.core.responder import Responder
from hookscope.core.rules import Action, Rule, RuleSet
from hookscope.core.sent_answer import RECONSTRUCTED, sent_answer
from hookscope.core.store import Store
from tests.helpers import exchange

RULES = [
    Rule("flaky", path="/flaky", status=503, headers=(("Retry-After", "30"),), body=b'{"e":1}'),
    Rule("typed", path="/typed", status=429, headers=(("Content-Type", "text/plain"),), body=b"x"),
    Rule("empty", path="/empty", status=204),
    Rule("reset", path="/reset", action=Action.RESET),
]


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    store = Store.open(tmp_path / "c.db")
    running = Receiver(store, port=0, responder=Responder(rules=RuleSet(RULES)))
    running.start()
    yield running
    running.stop()
    store.close()


@pytest.mark.parametrize("path", ["/ok", "/flaky", "/typed", "/empty"])
def test_reconstructed_headers_are_the_ones_sent(receiver: Receiver, path: str) -> None:
    request = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{{}}".encode()
    (wire,) = exchange(receiver.port, request)
    capture = next(iter(receiver.store.iter_captures()))
    answer = sent_answer(capture)
    assert answer.answered
    assert answer.status_line.startswith(f"{wire.status} ")
    assert [n for n, _ in answer.headers] == [n for n, _ in wire.headers]
    shown = {n: v for n, v in answer.headers if n != "Date"}
    assert shown == {n: v for n, v in wire.headers if n != "Date"}
    assert answer.body == wire.body
    for (name, _), note in zip(answer.headers, answer.notes, strict=True):
        recorded = any(name == n for n, _ in capture.response_headers)
        assert (note == "") == recorded, name


def test_the_status_line_names_the_rule(receiver: Receiver) -> None:
    exchange(receiver.port, b"POST /flaky HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    capture = next(iter(receiver.store.iter_captures()))
    line = sent_answer(capture).status_line
    assert line.startswith("503 Service Unavailable · read in ")
    assert line.endswith(' ms · by rule "flaky"')
    answer = sent_answer(capture)
    notes = dict(zip([n for n, _ in answer.headers], answer.notes, strict=True))
    assert notes["Retry-After"] == ""  # the rule's own: recorded
    assert RECONSTRUCTED in notes["Server"]


def test_a_dropped_connection_has_no_answer(receiver: Receiver) -> None:
    with pytest.raises(ConnectionError):
        exchange(receiver.port, b"POST /reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    capture = next(iter(receiver.store.iter_captures()))
    answer = sent_answer(capture)
    assert not answer.answered
    assert answer.status_line.startswith("no answer: the connection was reset")
    assert answer.headers == ()
