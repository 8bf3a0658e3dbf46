from __future__ import annotations

import socket
from pathlib import Path

import httpx

from hookscope.core.errors import PortInUseError
from hookscope.core.session import Session
from hookscope.core.store import Store


def test_session_listens_switches_port_and_closes(tmp_path: Path) -> None:
    session = Session(Store.open(tmp_path / "c.db"), port=0)
    assert session.start_receiver()
    assert httpx.post(f"{session.url}/one", content=b"1").status_code == 200
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert not session.start_receiver(taken)
        assert isinstance(session.error, PortInUseError)
        assert not session.listening
    assert session.start_receiver(0)
    assert httpx.post(f"{session.url}/two", content=b"2").status_code == 200
    session.close()
    with Store.open(tmp_path / "c.db") as store:
        assert [c.target for c in store.iter_captures()] == ["/one", "/two"]
