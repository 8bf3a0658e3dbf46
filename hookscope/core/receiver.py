"""The receiver: an aiohttp server on its own thread and event loop.

Any method, any path. Each request is kept exactly as it arrived (raw header bytes in order,
the target as on the wire, the body before any content decoding), handed to the store's group
commit, and answered only once its capture is committed. The receiver never waits on a UI: it
has its own loop, so a busy window cannot delay an answer past a sender's timeout.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import struct
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import HttpVersion, web
from aiohttp.web_protocol import RequestHandler

from hookscope import __version__
from hookscope.core.defaults import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_HOST,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_BODY,
    DEFAULT_PORT,
    receiver_url,
)
from hookscope.core.errors import HookscopeError, PortInUseError
from hookscope.core.model import Capture, Header, now_us
from hookscope.core.responder import Responder
from hookscope.core.rules import HANGUP_CLOSE, HANGUP_RESET, Answer
from hookscope.core.store import Store

if TYPE_CHECKING:
    from hookscope.core.guards import Guards

__all__ = [
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_HOST",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_BODY",
    "DEFAULT_PORT",
    "LISTEN_BACKLOG",
    "Listener",
    "Receiver",
    "bind_error",
    "bind_listener",
    "suggest_free_port",
]

# Past the limit the body is still read (and counted) so that the connection stays usable and
# the rejected capture records its real size, up to this much; beyond it the connection closes.
_DRAIN_LIMIT = 256 * 1024 * 1024
_SERVER = f"hookscope/{__version__}"
_SENDER_LEFT = Answer(status=0, hangup=HANGUP_CLOSE)
_VERSIONS = {HttpVersion(1, 1): "1.1", HttpVersion(1, 0): "1.0"}
_LINGER_OFF = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s
_STALLED = "; none for "  # in `rejected`: the body stopped arriving (see _read_body)
_TIMED_OUT = Answer(
    status=408,
    headers=(("Content-Type", "text/plain; charset=utf-8"),),
    body=b"the request stopped arriving\n",
    rule="idle-timeout",
)
_log = logging.getLogger("hookscope.receiver")
# Connections the kernel holds before they are accepted: a burst, or the wait while the app's
# receiver process is restarted (its parent keeps the socket, so senders queue, not fail).
LISTEN_BACKLOG = 1024
_BUSY_TEXT = b"hookscope: too many open connections; retry soon\n"
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\n"
    + f"Content-Length: {len(_BUSY_TEXT)}\r\n".encode()
    + b"Connection: close\r\n\r\n"
    + _BUSY_TEXT
)

# A pass-through forward (core/forward/passthrough.py): given (method, target, headers, body,
# peer), the handler's answer and what to call once the capture is committed, or None.
ForwardHook = Callable[
    [str, str, tuple[Header, ...], bytes, str],
    Awaitable[tuple[Answer, Callable[[Capture], None]] | None],
]


class Listener(Protocol):
    """What a session and a tunnel need of a receiver: this thread's `Receiver`, or the app's
    receiver in its own process (`hookscope.core.isolation`)."""

    port: int
    guards: Guards | None

    @property
    def running(self) -> bool: ...

    def start(self) -> int: ...

    def stop(self) -> None: ...


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
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        sock: socket.socket | None = None,
    ) -> None:
        self.store = store
        # A listening socket made elsewhere (`bind_listener`; the app's receiver process gets
        # one its parent holds): served instead of binding host:port.
        self.sock = sock
        self.host = host
        self.requested_port = port
        self.port = port
        self.max_body = max_body
        self.header_timeout = header_timeout
        self.idle_timeout = idle_timeout
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

    def turns(self, timeout: float) -> bool:
        """Whether this receiver's event loop runs a callback within `timeout` seconds (False
        if it is stuck, or not running)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive() or loop.is_closed():
            return False
        turned = threading.Event()
        try:
            loop.call_soon_threadsafe(turned.set)
        except RuntimeError:  # closed meanwhile
            return False
        return turned.wait(timeout)

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
        loop.set_exception_handler(_AcceptErrors().handle)
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
        server = _CaptureServer(
            self._handle, self._record_malformed, self.header_timeout, self.idle_timeout
        )
        runner = web.ServerRunner(server, shutdown_timeout=self.shutdown_timeout)
        await runner.setup()
        site: web.BaseSite
        if self.sock is not None:
            site = web.SockSite(runner, self.sock, backlog=LISTEN_BACKLOG)
        else:
            site = web.TCPSite(runner, self.host, self.requested_port, reuse_address=True)
        try:
            await site.start()
        except (OverflowError, OSError) as exc:
            await runner.cleanup()
            raise bind_error(self.host, self.requested_port, exc) from None
        if isinstance(site, web.TCPSite):
            self._started.set_result(site.port)
        else:
            assert self.sock is not None
            self._started.set_result(self.sock.getsockname()[1])
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
            # Recorded all the same; a sender that left gets nothing, one that stalled a 408.
            answer = _SENDER_LEFT
            if _STALLED in rejected:
                answer = _TIMED_OUT
                protocol = request.protocol
                if isinstance(protocol, _RecordingHandler):
                    protocol.stop_lingering()
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
        chunks: list[bytes] = []
        size = 0
        content = request.content
        # What has arrived is taken without waiting (usually the whole body: one read, no
        # copies); only a read that must wait gets a deadline, so a stalled sender cannot hold
        # the connection, and the hot path pays nothing for it.
        idle = self.idle_timeout
        try:
            if expects and request.version >= (1, 1):  # the sender may be gone already
                await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            if declared is not None and declared <= limit:
                while size < declared:
                    chunk = content.read_nowait(declared - size)
                    if not chunk:
                        if content.is_eof():
                            break
                        _check_sender(request)
                        async with asyncio.timeout(idle):
                            chunk = await content.read(declared - size)
                        if not chunk:
                            break
                    chunks.append(chunk)
                    size += len(chunk)
            else:
                while True:
                    chunk = content.read_nowait()
                    if not chunk:
                        if content.is_eof():
                            break
                        _check_sender(request)
                        async with asyncio.timeout(idle):
                            chunk = await content.readany()
                        if not chunk:
                            break
                    size += len(chunk)
                    if size <= limit:
                        chunks.append(chunk)
                    elif size > _DRAIN_LIMIT:
                        return b"", size, "body-too-large", True
                    else:
                        chunks.clear()
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError) as exc:
            # The sender left or stalled mid-body: keep what came, say so.
            body = b"".join(chunks) if size <= limit else b""
            expected = f" of {declared}" if declared is not None else ""
            reason = f"incomplete-body: {len(body)}{expected} bytes"
            if isinstance(exc, TimeoutError):
                reason += f"{_STALLED}{idle:g} s"
            return body, len(body), reason, True
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

    def _record_malformed(self, peer: str, reason: str, status: int = 400) -> None:
        """A request aiohttp could not parse: record what we know, so nothing vanishes."""
        capture = Capture(
            method="",
            target="",
            headers=(),
            body=b"",
            received_us=now_us(),
            http_version="",
            remote=peer,
            response_status=status,
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


def _check_sender(request: web.BaseRequest) -> None:
    """Before waiting for more of a body: raise ConnectionResetError if the sender has shut down
    its write side (no more is coming), as when it closes the connection."""
    protocol = request.protocol
    if isinstance(protocol, _RecordingHandler) and protocol.peer_done:
        raise ConnectionResetError("the sender shut down its side before the body was complete")


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
    return _peer_of(transport) if transport is not None else ""


def _peer_of(transport: asyncio.BaseTransport) -> str:
    peer = transport.get_extra_info("peername")
    if not peer:
        return ""
    host, port = peer[0], peer[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _RecordingHandler(RequestHandler):
    """aiohttp's connection handler, with what a receiver open to anyone needs on top:

    - unparseable requests are recorded as rejected captures and answered 400 with the
      parser's reason, quietly (aiohttp would log a traceback): a bad request is the sender's
      problem, shown in the table, not an error of hookscope's;
    - a request head must be complete within the header timeout of its first byte (or of the
      connection opening): a stalled or silent connection is closed, answered 408 and recorded
      if it had sent anything. aiohttp has only its keep-alive timeout, which is set to the
      idle timeout and does not restart when bytes arrive;
    - a sender that half-closes (shutdown of its write side) after a complete request still
      gets its answer; the connection closes after it."""

    def __init__(
        self, manager: web.Server, *, header_timeout: float, idle_timeout: float, **kwargs: Any
    ) -> None:
        super().__init__(manager, keepalive_timeout=idle_timeout, **kwargs)
        self._header_timeout = header_timeout
        # When the awaited request head must be complete (loop time; 0: no head awaited). One
        # sweep per server checks these (see _CaptureServer.sweep), not a timer per connection.
        self.head_deadline = 0.0
        self._head_started = False  # some bytes of the awaited request head have arrived
        self.peer_done = False  # the sender shut down its write side; nothing more will come

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        server = self._manager
        if isinstance(server, _CaptureServer) and not server.room_for_another():
            # Answer and close at once, keeping descriptors for the store and the connections
            # already open; the sender is told to come back (a 503 is retried).
            assert isinstance(transport, asyncio.WriteTransport)
            transport.write(_BUSY)
            self.force_close()
            return
        self.head_deadline = self._loop.time() + self._header_timeout
        if isinstance(server, _CaptureServer):
            server.watch()

    def data_received(self, data: bytes) -> None:
        parsed = self._request_count
        super().data_received(data)
        if self._request_count != parsed:  # a request head is complete
            self._head_started = False
            self.head_deadline = 0.0
        elif data and self._awaiting_head():  # the start of a head, or more of it
            self._head_started = True
            if not self.head_deadline:
                self.head_deadline = self._loop.time() + self._header_timeout
        # else: body bytes of the request being handled, or the start of a pipelined one
        # (bounded by the idle timeout once the handler is done)

    def stop_lingering(self) -> None:
        """Close right after the answer: aiohttp would otherwise wait for the rest of an unread
        body, which a stalled sender is not going to send."""
        self._lingering_time = 0.0

    def _awaiting_head(self) -> bool:
        waiter = self._waiter  # set while aiohttp waits for the next request
        return waiter is not None and not waiter.done()

    def head_timed_out(self) -> None:
        self.head_deadline = 0.0
        transport = self.transport
        if transport is None or not self._awaiting_head():
            return
        server = self._manager
        if self._head_started and isinstance(server, _CaptureServer):
            seconds = f"{self._header_timeout:g}"
            server.record_malformed(
                _peer_of(transport), f"request head not complete within {seconds} s", 408
            )
            text = f"408 Request Timeout: request head not complete within {seconds} s\n"
            transport.write(
                b"HTTP/1.1 408 Request Timeout\r\n"
                + f"Server: {_SERVER}\r\n".encode()
                + b"Content-Type: text/plain; charset=utf-8\r\n"
                + f"Content-Length: {len(text)}\r\n".encode()
                + b"Connection: close\r\n\r\n"
                + text.encode()
            )
        self.force_close()  # the transport sends what it holds, then closes

    def eof_received(self) -> bool:  # type: ignore[override]  # asyncio.Protocol's says bool
        """The sender shut down its write side. If a complete request is in hand, answer it
        (and any pipelined before it), then close; otherwise close now, as aiohttp would."""
        if self._awaiting_head():
            return False  # nothing to answer
        request = self._current_request
        if request is not None and not request.content.is_eof():
            return False  # a body cut short: closing makes the handler record it so
        # A request whose handler has not started yet may also lack part of its body: the
        # handler checks `peer_done` before it waits for more (see Receiver._read_body).
        self.peer_done = True
        # Only on this connection, and only from now on: the last answer closes it.
        self.finish_response = self._finish_then_close  # type: ignore[method-assign]
        if not self._messages:
            # The answer in hand may be past finish_response already (being written): close
            # once it is out, or the connection would wait out the idle timeout.
            self.close()
        return True  # keep the transport open for writing

    async def _finish_then_close(
        self, request: web.BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        if not self._messages:
            resp.force_close()
        return await RequestHandler.finish_response(self, request, resp, start_time)

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
    def __init__(
        self,
        handler: Any,
        record_malformed: Any,
        header_timeout: float,
        idle_timeout: float,
    ) -> None:
        # auto_decompress=False: a gzip body is stored as the compressed bytes that were signed.
        super().__init__(
            handler, access_log=None, handler_cancellation=False, auto_decompress=False
        )
        self.record_malformed = record_malformed
        self.header_timeout = header_timeout
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections()
        self._busy_reports = _OncePerMinute()
        self._sweeper: asyncio.TimerHandle | None = None

    def watch(self) -> None:
        """Make sure the sweep for head deadlines runs (it stops when no connection is open)."""
        if self._sweeper is None:
            self._sweeper = self._loop.call_later(self._sweep_every(), self.sweep)

    def _sweep_every(self) -> float:
        return min(1.0, self.header_timeout / 4)

    def sweep(self) -> None:
        """Close the connections whose request head is overdue: one timer for all of them
        instead of one per connection, set and cancelled for nearly every request."""
        self._sweeper = None
        if not self._connections:
            return
        now = self._loop.time()
        for handler in list(self._connections):
            if isinstance(handler, _RecordingHandler) and 0 < handler.head_deadline <= now:
                handler.head_timed_out()
        self._sweeper = self._loop.call_later(self._sweep_every(), self.sweep)

    def room_for_another(self) -> bool:
        """Whether the connection just made may stay open: beyond `max_connections`, the
        process would run out of file descriptors, and then the store could not open its
        files (nor asyncio accept without a traceback per attempt)."""
        open_now = len(self._connections)  # `connections` would copy them into a list
        if self.max_connections is None or open_now <= self.max_connections:
            return True
        self._busy_reports.warn(
            f"hookscope: {open_now - 1} connections open, as many as this process's file "
            "descriptor limit allows: new ones are answered 503 until some close"
        )
        return False

    def __call__(self) -> RequestHandler:
        return _RecordingHandler(
            self,
            loop=self._loop,
            header_timeout=self.header_timeout,
            idle_timeout=self.idle_timeout,
            **self._kwargs,
        )


class _OncePerMinute:
    """A warning on stderr (via logging) at most once a minute, saying how many were held
    back: a condition that recurs per connection must not flood the terminal."""

    INTERVAL = 60.0

    def __init__(self) -> None:
        self._last = -self.INTERVAL
        self._held = 0

    def warn(self, text: str) -> None:
        now = time.monotonic()
        if now - self._last < self.INTERVAL:
            self._held += 1
            return
        self._last = now
        held, self._held = self._held, 0
        _log.warning("%s%s", text, f" ({held} more since the last report)" if held else "")


class _AcceptErrors:
    """The receiver loop's exception handler. Out of file descriptors anyway (something else
    in the process holds them), asyncio stops accepting for a second and retries, but reports
    every failed accept() with a traceback, up to the backlog (128) each time: megabytes a
    minute. That becomes one line a minute at most."""

    def __init__(self) -> None:
        self._reports = _OncePerMinute()

    def handle(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if _late_accept_retry(context):
            return
        if not str(context.get("message", "")).startswith("socket.accept() out of system"):
            loop.default_exception_handler(context)
            return
        exc = context.get("exception")
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self._reports.warn(
            f"hookscope: not accepting new connections for now ({reason}); "
            "open connections are still served"
        )


def _late_accept_retry(context: dict[str, Any]) -> bool:
    """asyncio's retry of accepting (a second after running out of descriptors) that ran after
    the receiver had closed its socket: nothing left to accept, nothing wrong. (The handle's
    callback is private to asyncio; read defensively.)"""
    callback = getattr(context.get("handle"), "_callback", None)
    return getattr(callback, "__name__", "") == "_start_serving" and isinstance(
        context.get("exception"), ValueError
    )


def max_connections() -> int | None:
    """How many connections the receiver keeps open at once: the file descriptor limit, less
    a reserve for the store's files, the GUI and the standard streams (None: no limit known)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return None
    return max(8, soft - max(32, soft // 8))


def bind_listener(host: str, port: int) -> socket.socket:
    """A listening socket on host:port bound as the receiver binds its own (SO_REUSEADDR), with
    the same errors; for a receiver in another process, which gets a copy of it."""
    if not 0 <= port <= 65535:  # getaddrinfo would take 70000 for 4464
        raise bind_error(host, port, OverflowError())
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _name, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except (OverflowError, OSError) as exc:
        raise bind_error(host, port, exc) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except (OverflowError, OSError) as exc:
        sock.close()
        raise bind_error(host, port, exc) from None
    sock.set_inheritable(False)
    return sock


def bind_error(host: str, port: int, exc: BaseException) -> HookscopeError:
    """What to tell the user when host:port cannot be listened on."""
    if isinstance(exc, OverflowError):
        return HookscopeError(f"cannot listen on port {port}: a port is 0 to 65535")
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return PortInUseError(host, port, suggest_free_port(host, port))
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return HookscopeError(f"cannot listen on {host}:{port}: {text}")


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
