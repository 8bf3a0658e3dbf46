from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from hookscope.core.errors import PortInUseError
from hookscope.core.isolation import IsolatedSession
from hookscope.core.session import Session
from hookscope.core.store import Store

# Every behaviour of a session holds alike with its receiver in this process (`listen`'s way)
# and in a receiver process of its own (the app's).
SessionKind = type[Session]
kinds = pytest.mark.parametrize("kind", [Session, IsolatedSession], ids=["in-process", "isolated"])


@kinds
def test_session_listens_switches_port_and_closes(kind: SessionKind, tmp_path: Path) -> None:
    session = kind(Store.open(tmp_path / "c.db"), port=0)
    assert session.start_receiver()
    assert httpx.post(f"{session.url}/one", content=b"1").status_code == 200
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        working = session.url
        assert not session.start_receiver(taken)
        assert isinstance(session.error, PortInUseError)
        # The receiver that works keeps working: the new port is bound before the old closes.
        assert session.listening
        assert session.url == working
        assert httpx.post(f"{working}/kept", content=b"k").status_code == 200
    assert session.start_receiver(0)
    assert httpx.post(f"{session.url}/two", content=b"2").status_code == 200
    session.close()
    with Store.open(tmp_path / "c.db") as store:
        assert [c.target for c in store.iter_captures()] == ["/one", "/kept", "/two"]


@kinds
def test_listening_again_on_the_same_port_keeps_the_receiver(
    kind: SessionKind, tmp_path: Path
) -> None:
    session = kind(Store.open(tmp_path / "c.db"), port=0)
    assert session.start_receiver()
    port = session.port
    assert session.start_receiver(port)
    assert session.port == port
    assert httpx.post(f"{session.url}/same", content=b"1").status_code == 200
    session.close()


@kinds
def test_a_busy_port_at_start_is_an_error(kind: SessionKind, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        session = kind(Store.open(tmp_path / "c.db"), port=busy.getsockname()[1])
        assert not session.start_receiver()
        assert isinstance(session.error, PortInUseError)
        assert not session.listening
        session.close()


@kinds
def test_rules_are_edited_live_through_the_session(kind: SessionKind, tmp_path: Path) -> None:
    from hookscope.core.rules import Rule

    session = kind(Store.open(tmp_path / "c.db"), port=0)
    rules = session.rules  # a session always has a rule set, empty until rules are applied
    assert rules is session.rules
    assert rules.rules == ()
    assert session.start_receiver()
    try:
        assert httpx.post(f"{session.url}/a", content=b"1").status_code == 200
        rules.replace([Rule(name="down", path="/a*", status=503)])
        assert httpx.post(f"{session.url}/a", content=b"2").status_code == 503
        assert httpx.post(f"{session.url}/b", content=b"3").status_code == 200
    finally:
        session.close()


@kinds
def test_a_port_out_of_range_is_refused_not_wrapped(kind: SessionKind, tmp_path: Path) -> None:
    session = kind(Store.open(tmp_path / "c.db"), port=0)
    try:
        for port in (70000, 65536, -1):
            assert not session.start_receiver(port)
            assert "a port is 0 to 65535" in str(session.error)
            assert not session.listening
    finally:
        session.close()
