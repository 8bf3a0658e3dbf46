"""A session made public: the guards go on with the tunnel and off with it, the tunnel follows
the receiver to a new port, and closing the session ends the tool."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from hookscope.core.guards import GuardSettings
from hookscope.core.isolation import IsolatedSession
from hookscope.core.session import Session
from hookscope.core.store import Store
from hookscope.core.tunnels import TunnelState, make_provider
from hookscope.core.tunnels.public import Exposure
from tests.core.tunnels.conftest import alive, started


@pytest.mark.parametrize("kind", [Session, IsolatedSession], ids=["in-process", "isolated"])
def test_expose_guards_follows_the_port_and_ends_with_the_session(
    kind: type[Session], fake_tools: Path, tmp_path: Path
) -> None:
    session = kind(Store.open(tmp_path / "c.db"), port=0)
    exposure = Exposure(make_provider("cloudflared"), GuardSettings(rate=0))
    assert not session.expose(exposure)  # not listening: nothing to expose
    assert session.start_receiver(0)
    try:
        assert session.expose(exposure)
        tunnel = exposure.tunnel
        assert tunnel is not None
        status = tunnel.wait_for(lambda s: s.state is TunnelState.UP, 10)
        url = exposure.public_url(status)
        assert exposure.guards is not None
        prefix = exposure.guards.prefix
        assert url == f"https://quiet-river-1-lock.trycloudflare.com{prefix}"
        assert httpx.post(f"{session.url}/x").status_code == 404
        assert httpx.post(f"{session.url}{prefix}/x").status_code == 200
        first_port = session.port
        assert session.start_receiver(0)  # a new port: the tunnel is reopened to it
        assert session.port != first_port
        second = exposure.tunnel
        assert second is not None
        second.wait_for(lambda s: s.state is TunnelState.UP, 10)
        one, two = started(fake_tools)
        assert not alive(one["pid"])  # type: ignore[arg-type]
        assert f"http://127.0.0.1:{session.port}" in two["argv"]  # type: ignore[operator]
        assert httpx.post(f"{session.url}/x").status_code == 404  # still guarded
        session.unexpose()
        assert httpx.post(f"{session.url}/x").status_code == 200  # guards off with the tunnel
        assert not alive(two["pid"])  # type: ignore[arg-type]
        assert session.expose(exposure)
    finally:
        session.close()
    assert all(not alive(s["pid"]) for s in started(fake_tools))  # type: ignore[arg-type]
