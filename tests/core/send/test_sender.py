"""The sender against hookscope's own receiver (real sockets on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.receiver import Receiver
from hookscope.core.responder import Responder
from hookscope.core.send.sender import OutgoingRequest, send
from hookscope.core.store import Store


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    store = Store.open(tmp_path / "c.db")
    running = Receiver(store, port=0, responder=Responder(status=202))
    running.start()
    yield running
    running.stop()
    store.close()


def test_body_and_headers_arrive_exactly(receiver: Receiver) -> None:
    body = os.urandom(3000) + b"\r\n\x00"
    request = OutgoingRequest(
        "PUT",
        f"{receiver.url}/hooks/x?a=1&a=2",
        headers=(
            ("X-Custom", "One"),
            ("x-custom", "two"),
            ("Content-Type", "application/x-bin"),
            ("Host", "ignored.example"),
            ("Content-Length", "1"),
        ),
        body=body,
    )
    result = asyncio.run(send(request))
    assert result.error is None
    assert result.status == 202
    assert result.ok
    capture = receiver.store.get(1)
    assert capture is not None
    assert capture.body == body
    assert capture.method == "PUT"
    assert capture.target == "/hooks/x?a=1&a=2"
    names = [n for n, _ in capture.headers if n.lower() not in ("host", "content-length")]
    assert names == ["X-Custom", "x-custom", "Content-Type"]  # nothing added by httpx
    assert capture.header("Host") == f"127.0.0.1:{receiver.port}"
    assert capture.header("Content-Length") == str(len(body))


def test_signer_headers_replace_stale_ones(receiver: Receiver) -> None:
    def signer(body: bytes, url: str) -> list[tuple[str, str]]:
        return [("X-Signature", f"sig:{len(body)}:{url.rsplit('/', 1)[1]}")]

    request = OutgoingRequest(
        "POST", f"{receiver.url}/s", headers=(("x-signature", "stale"),), body=b"abc"
    )
    result = asyncio.run(send(request, signer=signer))
    assert result.request.headers == (("X-Signature", "sig:3:s"),)
    stored = receiver.store.get(1)
    assert stored is not None
    assert stored.header_values("X-Signature") == ["sig:3:s"]


def test_response_is_kept_raw(receiver: Receiver) -> None:
    result = asyncio.run(send(OutgoingRequest("GET", receiver.url)))
    assert result.status == 202
    assert dict(result.response_headers)["Server"].startswith("hookscope/")
    assert result.http_version == "1.1"
    assert result.elapsed_ms > 0


def test_unreachable_target_is_a_result_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = asyncio.run(send(OutgoingRequest("POST", f"http://127.0.0.1:{port}/x", body=b"1")))
    assert result.status is None
    assert result.error is not None
    assert "connection refused" in result.error


def test_timeout(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "slow.db")
    slow = Receiver(store, port=0, responder=Responder(delay_s=2.0))
    slow.start()
    try:
        result = asyncio.run(send(OutgoingRequest("POST", f"{slow.url}/slow"), timeout_s=0.3))
    finally:
        slow.stop()
        store.close()
    assert result.error == "timed out after 0.3 s"


def test_bad_url() -> None:
    result = asyncio.run(send(OutgoingRequest("POST", "ftp://example.invalid/x")))
    assert result.error is not None
    assert "not an http:// or https:// URL" in result.error
