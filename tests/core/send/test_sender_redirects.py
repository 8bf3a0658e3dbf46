"""Following a redirect to another origin never carries credentials or signatures along: two
real servers on 127.0.0.1 (different ports: different origins), the first answering 307."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from hookscope.core.send.sender import OutgoingRequest, send
from hookscope.core.signing import SCHEMES
from tests.cli_inprocess import run_main

SECRET_HEADERS = [
    ("Authorization", "Bearer tok"),
    ("Cookie", "sid=1"),
    ("X-Api-Key", "k-123"),
    ("X-Custom-Token", "t-456"),  # secret-like by name
    ("webhook-id", "msg_1"),
    ("webhook-timestamp", "1700000000"),
    ("webhook-signature", "v1,abc="),
    ("Stripe-Signature", "t=1,v1=ab"),
    ("X-Hub-Signature-256", "sha256=ab"),
    ("X-Shopify-Hmac-Sha256", "abc="),
    ("shopify-hmac-sha256", "abc="),
    ("X-Slack-Request-Timestamp", "1700000000"),
    ("X-Signature-Ed25519", "ab"),
]
PLAIN = [("X-Env", "test"), ("Content-Type", "application/json")]
BODY = b'{"id":"evt_1"}'


@dataclass
class Servers:
    """`first` redirects with `status` to `second` (or to itself, for same-origin); `seen`
    holds what each path received."""

    status: int = 307
    seen: dict[str, list[tuple[dict[str, str], bytes, str]]] = field(default_factory=dict)
    first_port: int = 0
    second_port: int = 0

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.seen.setdefault(request.path, []).append((headers, body, request.method))
        if request.path == "/start":
            return web.Response(status=self.status, headers={"Location": self.cross_url})
        if request.path == "/same":
            return web.Response(status=self.status, headers={"Location": "/landed"})
        return web.Response(status=200, text="landed")

    @property
    def cross_url(self) -> str:
        return f"http://127.0.0.1:{self.second_port}/landed"

    async def start(self) -> list[web.AppRunner]:
        runners = []
        for attr in ("first_port", "second_port"):
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._record)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            setattr(self, attr, runner.addresses[0][1])
            runners.append(runner)
        return runners


async def _send_through(servers: Servers, path: str, port_attr: str) -> None:
    runners = await servers.start()
    try:
        port = getattr(servers, port_attr)
        request = OutgoingRequest(
            "POST", f"http://127.0.0.1:{port}{path}", (*SECRET_HEADERS, *PLAIN), BODY
        )
        result = await send(request, follow_redirects=True, timeout_s=10)
        assert result.status == 200, result.error
    finally:
        for runner in runners:
            await runner.cleanup()


def landed(servers: Servers) -> tuple[dict[str, str], bytes, str]:
    (only,) = servers.seen["/landed"]
    return only


@pytest.mark.parametrize("status", [307, 308])
def test_cross_origin_redirect_drops_credentials_and_signatures(status: int) -> None:
    servers = Servers(status=status)
    asyncio.run(_send_through(servers, "/start", "first_port"))
    first_headers = servers.seen["/start"][0][0]
    assert first_headers["x-api-key"] == "k-123"  # the first hop had them all
    headers, body, method = landed(servers)
    leaked = {name.lower() for name, _ in SECRET_HEADERS} & set(headers)
    assert leaked == set()
    assert headers["x-env"] == "test"
    assert (method, body) == ("POST", BODY)  # 307/308 keep the method and the body


def test_every_registered_schemes_headers_are_covered() -> None:
    from hookscope.core.send.sender import redirect_drops
    from hookscope.core.signing.names import signature_header_names

    for scheme in SCHEMES.values():
        for name in signature_header_names(scheme):
            assert redirect_drops(name), (scheme.name, name)


def test_same_origin_redirect_keeps_them() -> None:
    servers = Servers()
    asyncio.run(_send_through(servers, "/same", "first_port"))
    headers, _, _ = landed(servers)
    assert headers["x-api-key"] == "k-123"
    assert headers["stripe-signature"] == "t=1,v1=ab"


@pytest.fixture
def servers_in_thread() -> Iterator[Servers]:
    servers = Servers()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runners: list[web.AppRunner] = []

    def serve() -> None:
        asyncio.set_event_loop(loop)
        runners.extend(loop.run_until_complete(servers.start()))
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield servers
    for runner in runners:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_send_follow_redirects_cli(servers_in_thread: Servers) -> None:
    servers = servers_in_thread
    args = [arg for name, value in PLAIN for arg in ("-H", f"{name}: {value}")]
    args += ["-H", "X-Api-Key: k-123", "-H", "Authorization: Bearer tok"]
    result = run_main(
        "send", f"http://127.0.0.1:{servers.first_port}/start", "--follow-redirects",
        "--sign", "stripe", "--secret-env", "S", *args, stdin=BODY, env={"S": "whsec_x"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "stripe-signature" in servers.seen["/start"][0][0]
    headers, body, _ = landed(servers)
    assert body == BODY
    assert {"x-api-key", "authorization", "stripe-signature"} & set(headers) == set()
