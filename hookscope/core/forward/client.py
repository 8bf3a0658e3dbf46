"""One delivery attempt over HTTP/1.1: the request exactly as built, the handler's answer raw.

A small client of its own rather than httpx or aiohttp's, for two measured reasons:
- fidelity: the request is written byte for byte as the capture's headers say (names in their
  case, in their order, duplicates kept, `Host` where it stood, latin-1 bytes as received);
  aiohttp's client writes header text as UTF-8, and h11 (httpx) moves `Host` to the front;
- speed: httpcore's pool examines every pooled connection (a poll() and getpeername() each) for
  every request, so 32 concurrent pass-throughs ran at ~300 req/s; this pool pops an idle
  connection in O(1).

Keep-alive connections are reused per host; a reused connection the handler had closed while
idle is retried once on a fresh one (nothing had reached the handler). The answer body is read
whole (a pass-through hands it to the sender) up to `MAX_ANSWER`; it stays as received (a gzip
answer stays gzip).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from dataclasses import dataclass, field

from hookscope.core.model import Header

__all__ = ["ERROR_KINDS", "MAX_ANSWER", "Pool", "Sent", "deliver", "new_client"]

# What an `error` starts with: a word a person and a filter can both read.
ERROR_KINDS = ("refused", "timeout", "reset", "tls", "protocol", "error")
MAX_ANSWER = 64 * 1024 * 1024
_HEAD_LIMIT = 1024 * 1024
_NO_BODY_STATUS = (204, 304)


@dataclass(slots=True)
class Sent:
    """An attempt: what went out and what came back (or `error`, `timed_out`)."""

    method: str
    url: str
    headers: tuple[Header, ...]
    started_us: int
    status: int | None = None
    response_headers: tuple[Header, ...] = ()
    response_body: bytes = b""
    duration_ms: float = 0.0
    error: str | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _ProtocolError(Exception):
    """The handler's answer is not HTTP/1.x as we read it."""


@dataclass
class Pool:
    """Idle keep-alive connections per (scheme, host, port), newest reused first."""

    idle: dict[tuple[str, str, int], list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = (
        field(default_factory=dict)
    )
    max_idle: int = 64
    _tls: ssl.SSLContext | None = None

    def tls(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls

    async def aclose(self) -> None:
        for connections in self.idle.values():
            for _, writer in connections:
                writer.close()
        self.idle.clear()


def new_client(*, parallel: int = 1) -> Pool:
    """One pool per target (or per receiver): connections to the handler stay open."""
    return Pool(max_idle=max(parallel, 1) * 2)


def _split(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, netloc, request target) without normalising anything."""
    scheme, _, rest = url.partition("://")
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    netloc, target = rest[:cut], rest[cut:]
    if not target.startswith("/"):
        target = "/" + target
    host, port = netloc, 443 if scheme == "https" else 80
    if netloc.startswith("["):
        end = netloc.find("]")
        host = netloc[1:end]
        if netloc[end + 1 : end + 2] == ":":
            port = int(netloc[end + 2 :])
    elif ":" in netloc:
        host, text = netloc.rsplit(":", 1)
        port = int(text)
    return scheme, host, port, netloc, target


def _request_bytes(
    method: str, target: str, netloc: str, headers: tuple[Header, ...], body: bytes
) -> bytes:
    names = {name.lower() for name, _ in headers}
    lines = [f"{method} {target} HTTP/1.1"]
    if "host" not in names:  # HTTP/1.1 requires one; the sender's may have had none (1.0)
        lines.append(f"Host: {netloc}")
    lines += [f"{name}: {value}" for name, value in headers]
    if body and "content-length" not in names:  # it came chunked
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def deliver(
    client: Pool,
    method: str,
    url: str,
    headers: tuple[Header, ...],
    body: bytes,
    *,
    timeout_s: float,
) -> Sent:
    """Send once; a network failure comes back as `error`, never raised."""
    sent = Sent(method, url, headers, time.time_ns() // 1000)
    started = time.perf_counter()
    try:
        scheme, host, port, netloc, target = _split(url)
        payload = _request_bytes(method, target, netloc, headers, body)
        async with asyncio.timeout(timeout_s):
            status, answer_headers, answer = await _exchange(
                client, (scheme, host, port), payload, method
            )
        sent.status = status
        sent.response_headers = answer_headers
        sent.response_body = answer
    except TimeoutError:
        sent.error = f"timeout: no answer within {timeout_s:g} s"
        sent.timed_out = True
    except ConnectionRefusedError:
        sent.error = "refused: nothing listening there (connection refused)"
    except socket.gaierror as exc:
        sent.error = f"refused: cannot resolve the host ({exc.strerror or exc})"
    except ssl.SSLError as exc:
        sent.error = f"tls: {exc.reason or exc}"
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        sent.error = f"reset: the handler closed the connection ({_reason(exc)})"
    except (_ProtocolError, ValueError, UnicodeError) as exc:
        sent.error = f"protocol: {exc}"
    except OSError as exc:
        sent.error = f"error: {exc.strerror or exc}"
    finally:
        sent.duration_ms = (time.perf_counter() - started) * 1000
    return sent


async def _exchange(
    pool: Pool, key: tuple[str, str, int], payload: bytes, method: str
) -> tuple[int, tuple[Header, ...], bytes]:
    idle = pool.idle.setdefault(key, [])
    while idle:
        reader, writer = idle.pop()
        if reader.at_eof() or writer.is_closing():
            writer.close()
            continue
        try:
            return await _round_trip(pool, key, reader, writer, payload, method)
        except _StaleConnectionError:
            continue  # closed by the handler while idle: nothing reached it, try afresh
    scheme, host, port = key
    tls = pool.tls() if scheme == "https" else None
    reader, writer = await asyncio.open_connection(
        host, port, ssl=tls, server_hostname=host if tls else None, limit=_HEAD_LIMIT
    )
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        return await _round_trip(pool, key, reader, writer, payload, method)
    except _StaleConnectionError as exc:
        raise ConnectionResetError("closed before answering") from exc


class _StaleConnectionError(Exception):
    pass


async def _round_trip(
    pool: Pool,
    key: tuple[str, str, int],
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    payload: bytes,
    method: str,
) -> tuple[int, tuple[Header, ...], bytes]:
    reusable = False
    try:
        writer.write(payload)
        try:
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                raise
            raise _StaleConnectionError from exc
        while True:
            version, status, headers = _parse_head(head)
            if 100 <= status < 200 and status != 101:  # interim (e.g. 103): the final follows
                head = await reader.readuntil(b"\r\n\r\n")
                continue
            break
        body, until_close = await _read_body(reader, method, status, headers)
        connection = ",".join(v for n, v in headers if n.lower() == "connection").lower()
        reusable = (
            not until_close
            and "close" not in connection
            and (version == "1.1" or "keep-alive" in connection)
        )
        return status, headers, body
    finally:
        idle = pool.idle.setdefault(key, [])
        if reusable and len(idle) < pool.max_idle:
            idle.append((reader, writer))
        else:
            writer.close()


def _parse_head(head: bytes) -> tuple[str, int, tuple[Header, ...]]:
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise _ProtocolError(f"not an HTTP/1.x answer: {lines[0][:60]!r}")
    headers: list[Header] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise _ProtocolError(f"malformed header line {line[:60]!r}")
        headers.append((name, value.strip(" \t")))
    return parts[0][5:], int(parts[1]), tuple(headers)


async def _read_body(
    reader: asyncio.StreamReader, method: str, status: int, headers: tuple[Header, ...]
) -> tuple[bytes, bool]:
    """(body, read until the connection closed)."""
    if method == "HEAD" or status in _NO_BODY_STATUS:
        return b"", False
    encoding = ",".join(v for n, v in headers if n.lower() == "transfer-encoding").lower()
    if "chunked" in encoding:
        return await _read_chunked(reader), False
    lengths = {v.strip() for n, v in headers if n.lower() == "content-length"}
    if lengths:
        if len(lengths) > 1 or not next(iter(lengths)).isdigit():
            raise _ProtocolError(f"bad Content-Length {sorted(lengths)!r}")
        length = int(next(iter(lengths)))
        if length > MAX_ANSWER:
            raise _ProtocolError(f"an answer of {length} bytes is more than hookscope keeps")
        return await reader.readexactly(length), False
    chunks: list[bytes] = []
    size = 0
    while chunk := await reader.read(65536):
        size += len(chunk)
        if size > MAX_ANSWER:
            raise _ProtocolError("the answer is larger than hookscope keeps")
        chunks.append(chunk)
    return b"".join(chunks), True


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        text = line[:-2].split(b";", 1)[0].strip()
        try:
            length = int(text, 16)
        except ValueError:
            raise _ProtocolError(f"bad chunk size {text[:20]!r}") from None
        if length == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers: skipped
                pass
            return b"".join(chunks)
        size += length
        if size > MAX_ANSWER:
            raise _ProtocolError("the answer is larger than hookscope keeps")
        chunks.append(await reader.readexactly(length))
        if await reader.readexactly(2) != b"\r\n":
            raise _ProtocolError("a chunk does not end in CRLF")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, asyncio.IncompleteReadError):
        return f"after {len(exc.partial)} bytes of the answer"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
