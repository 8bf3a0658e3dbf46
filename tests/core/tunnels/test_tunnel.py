"""A tunnel driven as a child process: the URL read from what the tool prints, its states,
restarts with backoff, errors that stop retrying, and no process left behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hookscope.core.tunnels import (
    Backoff,
    Tunnel,
    TunnelState,
    TunnelStatus,
    availability,
    make_provider,
)
from tests.core.tunnels.conftest import alive, started

FAST = Backoff(first=0.1, factor=2.0, most=0.4)


def run(kind: str, target: str | None = None, **options: object) -> tuple[Tunnel, list]:
    seen: list[TunnelStatus] = []
    tunnel = Tunnel(make_provider(kind, target), 9480, on_change=seen.append, **options)  # type: ignore[arg-type]
    tunnel.start()
    return tunnel, seen


def up(status: TunnelStatus) -> bool:
    return status.state in {TunnelState.UP, TunnelState.FAILED}


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("cloudflared", "https://quiet-river-1-lock.trycloudflare.com"),
        ("ngrok", "https://ab12-203-0-113-7.ngrok-free.app"),
        ("tailscale", "https://hookscope-1.tail1234.ts.net"),
    ],
)
def test_url_is_read_from_the_tools_output_and_stop_leaves_no_process(
    fake_tools: Path, kind: str, url: str
) -> None:
    tunnel, seen = run(kind)
    status = tunnel.wait_for(up, 10)
    assert status.state is TunnelState.UP
    assert status.url == url
    assert seen[0].state is TunnelState.CONNECTING
    (start,) = started(fake_tools)
    assert "127.0.0.1:9480" in " ".join(start["argv"])  # type: ignore[arg-type]
    tunnel.stop()
    assert tunnel.status.state is TunnelState.STOPPED
    assert not alive(start["pid"])  # type: ignore[arg-type]


def test_ngrok_url_from_its_local_api_when_the_log_lacks_it(
    fake_tools: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TUNNEL_MODE", "api")
    tunnel, _ = run("ngrok")
    try:
        status = tunnel.wait_for(up, 10)
        assert status.state is TunnelState.UP
        assert status.url == "https://ab12-203-0-113-7.ngrok-free.app"
    finally:
        tunnel.stop()


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "ngrok",
            "authentication failed: Usage of ngrok requires a verified account and "
            "authtoken. (ERR_NGROK_4018)",
        ),
        ("tailscale", "Funnel is not enabled on your tailnet."),
    ],
)
def test_errors_no_restart_can_fix_fail_at_once(
    fake_tools: Path, monkeypatch: pytest.MonkeyPatch, kind: str, message: str
) -> None:
    monkeypatch.setenv("FAKE_TUNNEL_MODE", "fatal")
    tunnel, seen = run(kind, backoff=FAST)
    status = tunnel.wait_for(lambda s: s.state is TunnelState.FAILED, 10)
    tunnel.stop()
    assert status.state is TunnelState.FAILED
    assert status.message == message
    assert len(started(fake_tools)) == 1  # not retried
    assert TunnelState.RETRYING not in {s.state for s in seen}


def test_transient_failures_retry_with_growing_pauses(
    fake_tools: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TUNNEL_MODE", "fail")
    tunnel, seen = run("cloudflared", backoff=FAST)
    deadline = time.monotonic() + 20
    while len(started(fake_tools)) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    tunnel.stop()
    pauses = [s.retry_in for s in seen if s.state is TunnelState.RETRYING]
    assert pauses[:4] == [0.1, 0.2, 0.4, 0.4]
    dropped = [s for s in seen if s.state is TunnelState.DROPPED]
    assert dropped[0].message.startswith("failed to request quick Tunnel: Post ")
    assert all(not alive(start["pid"]) for start in started(fake_tools))  # type: ignore[arg-type]


def test_a_dropped_tunnel_comes_back_with_its_new_url(
    fake_tools: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_TUNNEL_MODE", "drop")
    tunnel, seen = run("cloudflared", backoff=FAST)
    tunnel.wait_for(lambda s: s.state is TunnelState.UP and s.attempt >= 3, 20)
    tunnel.stop()
    states = [s.state for s in seen]
    assert states[:6] == [
        TunnelState.CONNECTING,
        TunnelState.UP,
        TunnelState.DROPPED,
        TunnelState.RETRYING,
        TunnelState.CONNECTING,
        TunnelState.UP,
    ]
    urls = [s.url for s in seen if s.state is TunnelState.UP]
    assert urls[:2] == [
        "https://quiet-river-1-lock.trycloudflare.com",
        "https://quiet-river-2-lock.trycloudflare.com",
    ]
    # It had been up each time, so the pause starts over rather than growing.
    assert {s.retry_in for s in seen if s.state is TunnelState.RETRYING} == {0.1}
    dropped = next(s for s in seen if s.state is TunnelState.DROPPED)
    assert (
        dropped.message
        == 'Connection terminated error="timeout: no recent network activity" connIndex=0'
    )


def test_a_missing_tool_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hookscope.core.errors import HookscopeError

    monkeypatch.setenv("PATH", str(tmp_path))
    found = availability("cloudflared")
    assert not found.available
    assert "brew install cloudflared" in found.line()
    with pytest.raises(
        HookscopeError,
        match="ngrok is not installed: `ngrok` is not on PATH; install the ngrok agent",
    ):
        make_provider("ngrok")
