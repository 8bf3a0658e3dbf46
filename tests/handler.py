"""A developer's webhook handler for forwarding tests: a real aiohttp server on 127.0.0.1 in its
own thread, recording every request as it arrived (raw headers, raw target, body bytes).

Its behaviour can change while it runs: answer a status (with headers and body), fail the first
N requests, hang, reset the connection; `stop()` and `start()` again take it down and bring it
back on the same port."""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Received:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Handler:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b"handled\n"
    fail_first: int = 0  # answer 500 to the first N requests
    behaviour: str = "answer"  # answer | hang | reset
    check: Callable[[Received], int] | None = None  # decides the status per request
    port: int = 0
    received: list[Received] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Event | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Handler:
        ready: Future[int] = Future()
        self._thread = threading.Thread(target=self._main, args=(ready,), daemon=True)
        self._thread.start()
        self.port = ready.result(timeout=10)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(timeout=10)
        self._thread = None

    def wait(self, count: int, timeout: float = 15) -> list[Received]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.received) >= count, timeout)
        assert ok, f"the handler expected {count} requests, got {len(self.received)}"
        return list(self.received)

    def _main(self, ready: Future[int]) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(ready))
        finally:
            loop.close()

    async def _serve(self, ready: Future[int]) -> None:
        self._stop = asyncio.Event()
        server = web.Server(self._handle, auto_decompress=False, access_log=None)
        runner = web.ServerRunner(server, shutdown_timeout=0.2)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        ready.set_result(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        body = await request.content.read()  # any size (read() stops at 1 MiB)
        got = Received(
            request.method,
            request.raw_path,
            [(n.decode("latin-1"), v.decode("latin-1")) for n, v in request.raw_headers],
            body,
        )
        with self._cond:
            self.received.append(got)
            count = len(self.received)
            self._cond.notify_all()
        if self.behaviour == "hang":
            await asyncio.sleep(3600)
        if self.behaviour == "reset":
            transport = request.transport
            assert transport is not None
            sock: Any = transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
            return web.Response(status=204)
        status = self.status
        if count <= self.fail_first:
            status = 500
        if self.check is not None:
            status = self.check(got)
        response = web.Response(status=status, body=self.body)
        for name, value in self.headers:
            response.headers.add(name, value)
        return response
