"""The receiver: an aiohttp server on its own thread and event loop.

Any method, any path. Each request is kept exactly as it arrived (raw header bytes in order,
the target as on the wire, the body before any content decoding), handed to the store's group
commit, and answered only once its capture is committed. The receiver never waits on a UI: it
has its own loop, so a busy window cannot delay an answer past a sender's timeout.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import struct
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from aiohttp import HttpVersion, web
from aiohttp.web_protocol import RequestHandler

from hookscope import __version__
from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT, receiver_url
from hookscope.core.errors import HookscopeError, PortInUseError
from hookscope.core.model import Capture, Header, now_us
from hookscope.core.responder import HANGUP_CLOSE, HANGUP_RESET, Answer, Responder
from hookscope.core.store import Store

if TYPE_CHECKING:
    from hookscope.core.guards import Guards

__all__ = ["DEFAULT_HOST", "DEFAULT_MAX_BODY", "DEFAULT_PORT", "Receiver", "suggest_free_port"]

# Past the limit the body is still read (and counted) so that the connection stays usable and
# the rejected capture records its real size, up to this much; beyond it the connection closes.
_DRAIN_LIMIT = 256 * 1024 * 1024
_SERVER = f"hookscope/{__version__}"
_SENDER_LEFT = Answer(status=0, hangup=HANGUP_CLOSE)
_VERSIONS = {HttpVersion(1, 1): "1.1", HttpVersion(1, 0): "1.0"}
_LINGER_OFF = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s

# A pass-through forward (core/forward/passthrough.py): given (method, target, headers, body,
# peer), the handler's answer and what to call once the capture is committed, or None.
ForwardHook = Callable[
    [str, str, tuple[Header, ...], bytes, str],
    Awaitable[tuple[Answer, Callable[[Capture], None]] | None],
]


class Receiver:
    def __init__(
        self,
        store: Store,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        max_body: int = DEFAULT_MAX_BODY,
        responder: Responder | None = None,
        shutdown_timeout: float = 1.0,
        forward: ForwardHook | None = None,
    ) -> None:
        self.store = store
        self.host = host
        self.requested_port = port
        self.port = port
        self.max_body = max_body
        self.responder = responder or Responder()
        self.shutdown_timeout = shutdown_timeout
        self.guards: Guards | None = None  # set while public (see hookscope.core.guards)
        self.forward = forward
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started: Future[int] = Future()
        # Captures of this loop iteration, handed to the store in one go (see _hand_over).
        self._pending: list[Capture] = []
        self._pending_futures: list[asyncio.Future[Capture] | None] = []
        # Handlers waiting out a delay or a hold (see _wait).
        self._waiting: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        return receiver_url(self.host, self.port)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> int:
        """Bind and serve; returns the bound port. Raises PortInUseError or HookscopeError."""
        self._started = Future()
        self._thread = threading.Thread(target=self._main, name="hookscope-receiver", daemon=True)
        self._thread.start()
        self.port = self._started.result()
        return self.port

    def stop(self) -> None:
        """Stop accepting, let in-flight requests finish (bounded), close. Safe to call twice."""
        loop, stop, thread = self._loop, self._stop, self._thread
        if loop is not None and stop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(stop.set)
            thread.join()
        self._thread = None

    # -- the receiver thread --------------------------------------------------------------

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported through start()
            if not self._started.done():
                self._started.set_exception(exc)
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = _CaptureServer(self._handle, self._record_malformed)
        runner = web.ServerRunner(server, shutdown_timeout=self.shutdown_timeout)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.requested_port, reuse_address=True)
        try:
            await site.start()
        except OverflowError:
            await runner.cleanup()
            raise HookscopeError(
                f"cannot listen on port {self.requested_port}: a port is 0 to 65535"
            ) from None
        except OSError as exc:
            await runner.cleanup()
            if exc.errno == errno.EADDRINUSE:
                suggestion = suggest_free_port(self.host, self.requested_port)
                raise PortInUseError(self.host, self.requested_port, suggestion) from None
            raise HookscopeError(
                f"cannot listen on {self.host}:{self.requested_port}: {exc.strerror or exc}"
            ) from None
        self._started.set_result(site.port)
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()
            await _cancel_all(self._waiting)

    def _sink(self, items: list[tuple[Capture, Any]], error: BaseException | None) -> None:
        # Writer thread: one wake-up of this loop per group commit, not one per capture.
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(_resolve, items, error)

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        # The hot path: every line here costs every request, so it avoids aiohttp's parsed
        # conveniences (request.path builds a URL object) and anything not needed to store.
        received = time.time_ns() // 1000
        started = time.perf_counter()
        headers = tuple(
            [(n.decode("latin-1"), v.decode("latin-1")) for n, v in request.raw_headers]
        )
        body, size, rejected, close = await self._read_body(request)
        target = request.raw_path
        if not target.isascii():  # aiohttp decoded the target's bytes as UTF-8+surrogateescape
            target = target.encode("utf-8", "surrogateescape").decode("latin-1")
        refusal = None
        if rejected is None and self.guards is not None:
            refusal = self.guards.screen(request.method, target, headers, body, _peer(request))
        forwarded = None
        if refusal is not None:
            answer, rejected = refusal
        elif rejected is None:
            answer = self.responder.answer(request.method, target)
            if self.forward is not None and answer.rule is None:  # no fault rule answered
                peer = _peer(request)
                forwarded = await self.forward(request.method, target, headers, body, peer)
                if forwarded is not None:
                    answer = forwarded[0]
            rejected = answer.hangup  # a fault rule that drops the connection instead
        elif rejected.startswith("incomplete-body"):
            answer = _SENDER_LEFT  # recorded all the same; there is nobody left to answer
        else:
            answer = Answer(
                status=413,
                headers=(("Content-Type", "text/plain; charset=utf-8"),),
                body=f"body of {size} bytes exceeds the limit of {self.max_body}\n".encode(),
                rule="max-body",
            )
        version = request.version
        capture = Capture(
            request.method,
            target,
            headers,
            body,
            received,
            _VERSIONS.get(version) or f"{version.major}.{version.minor}",
            _peer(request),
            answer.status,
            answer.headers,
            answer.body,
            rejected,
            answer.rule,
            size,
            (time.perf_counter() - started) * 1000,
        )
        loop = self._loop
        assert loop is not None
        committed: asyncio.Future[Capture] = loop.create_future()
        self._queue_capture(loop, capture, committed)
        try:
            await committed
        except Exception:  # the store failed: do not claim success, let the sender retry
            return web.Response(
                status=503,
                text="hookscope could not store this request\n",
                headers={"Server": _SERVER},
            )
        if forwarded is not None:
            forwarded[1](capture)
        if answer.delay_s:
            await self._wait(answer.delay_s)
        if answer.hangup is not None:
            return _hang_up(request, answer.hangup)
        response = web.Response(status=answer.status, body=answer.body or None)
        headers_out = response.headers
        for name, value in answer.headers:
            headers_out.add(name, value)
        headers_out.setdefault("Server", _SERVER)  # a forwarded answer keeps its handler's
        if close:
            response.force_close()
        return response

    async def _wait(self, seconds: float) -> None:
        """A response rule's delay or hold. aiohttp loses track of a handler whose client has
        left (handlers are not cancelled on disconnect, so that captures always commit); tracked
        here, a long hold still ends when the receiver stops."""
        task = asyncio.current_task()
        assert task is not None
        self._waiting.add(task)
        try:
            await asyncio.sleep(seconds)
        finally:
            self._waiting.discard(task)

    async def _read_body(self, request: web.BaseRequest) -> tuple[bytes, int, str | None, bool]:
        """(body, size, rejected reason, close connection after answering)."""
        limit = self.max_body
        declared = request.content_length
        expect = request.headers.get("Expect")
        expects = expect is not None and expect.lower() == "100-continue"
        # Never invite (100-continue) or swallow a huge upload that will be refused anyway.
        if declared is not None and declared > limit and (expects or declared > _DRAIN_LIMIT):
            return b"", declared, "body-too-large", True
        if declared == 0:
            return b"", 0, None, False
        if expects and request.version >= (1, 1):
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        chunks: list[bytes] = []
        size = 0
        content = request.content
        try:
            if declared is not None and declared <= limit:
                # The common case: usually the whole body in one read, without copies.
                while size < declared and (chunk := await content.read(declared - size)):
                    chunks.append(chunk)
                    size += len(chunk)
            else:
                while chunk := await content.readany():
                    size += len(chunk)
                    if size <= limit:
                        chunks.append(chunk)
                    elif size > _DRAIN_LIMIT:
                        return b"", size, "body-too-large", True
                    else:
                        chunks.clear()
        except (ConnectionError, asyncio.IncompleteReadError):
            # The sender left mid-body: keep what came, say so (nobody is left to answer).
            body = b"".join(chunks)
            expected = f" of {declared}" if declared is not None else ""
            return body, len(body), f"incomplete-body: {len(body)}{expected} bytes", True
        if size > limit:
            return b"", size, "body-too-large", False
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        if declared is not None and size < declared:
            return body, size, f"incomplete-body: {size} of {declared} bytes", True
        return body, size, None, False

    def _queue_capture(
        self,
        loop: asyncio.AbstractEventLoop,
        capture: Capture,
        committed: asyncio.Future[Capture] | None,
    ) -> None:
        if not self._pending:
            loop.call_soon(self._hand_over)
        self._pending.append(capture)
        self._pending_futures.append(committed)

    def _hand_over(self) -> None:
        """Give the store every capture that arrived in this loop iteration at once: one
        cross-thread wake-up per burst instead of one per request, which under load is the
        difference between contending for the GIL per request and per batch."""
        captures, futures = self._pending, self._pending_futures
        self._pending, self._pending_futures = [], []
        self.store.submit(captures, futures, self._sink)

    def _record_malformed(self, peer: str, reason: str) -> None:
        """A request aiohttp could not parse: record what we know, so nothing vanishes."""
        capture = Capture(
            method="",
            target="",
            headers=(),
            body=b"",
            received_us=now_us(),
            http_version="",
            remote=peer,
            response_status=400,
            rejected=f"malformed-request: {reason}",
        )
        self._queue_capture(asyncio.get_running_loop(), capture, None)


def _resolve(items: list[tuple[Capture, Any]], error: BaseException | None) -> None:
    for capture, future in items:
        if future is not None and not future.done():
            if error is None:
                future.set_result(capture)
            else:
                future.set_exception(error)


async def _cancel_all(tasks: set[asyncio.Task[Any]]) -> None:
    pending = list(tasks)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def _hang_up(request: web.BaseRequest, how: str) -> web.StreamResponse:
    """End the request without an HTTP answer (a fault rule): close the connection, or reset it.
    aiohttp then fails to write the returned response to the dropped connection, which it
    treats as the client having left: no answer goes out and nothing is logged."""
    transport = request.transport
    if transport is not None:
        if how == HANGUP_RESET:
            sock = transport.get_extra_info("socket")
            if sock is not None:  # linger 0: close() sends RST instead of FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_OFF)
            transport.abort()
        else:
            transport.close()
    return web.Response(status=204)


def _peer(request: web.BaseRequest) -> str:
    transport = request.transport
    peer = transport.get_extra_info("peername") if transport is not None else None
    if not peer:
        return ""
    host, port = peer[0], peer[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _RecordingHandler(RequestHandler):
    """aiohttp answers unparseable requests itself (and logs a traceback); this records them
    as rejected captures instead, and answers 400 with the parser's reason, quietly: a bad
    request is the sender's problem, shown in the table, not an error of hookscope's."""

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        server = self._manager
        if status != 400 or not isinstance(server, _CaptureServer):
            return super().handle_error(request, status, exc, message)
        lines = (message or str(exc or "bad request")).strip().splitlines()
        reason = lines[0].rstrip(":") if lines else "bad request"
        server.record_malformed(_peer(request), reason)
        response = web.Response(status=400, text=f"400 Bad Request: {reason}\n")
        response.headers["Server"] = _SERVER
        response.force_close()
        return response


class _CaptureServer(web.Server):
    def __init__(self, handler: Any, record_malformed: Any) -> None:
        # auto_decompress=False: a gzip body is stored as the compressed bytes that were signed.
        super().__init__(
            handler, access_log=None, handler_cancellation=False, auto_decompress=False
        )
        self.record_malformed = record_malformed

    def __call__(self) -> RequestHandler:
        return _RecordingHandler(self, loop=self._loop, **self._kwargs)


def suggest_free_port(host: str, busy: int) -> int | None:
    """A nearby port that is free now, to suggest in the 'port in use' message."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for port in range(busy + 1, min(busy + 50, 65535)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    return None
