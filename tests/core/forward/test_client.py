"""The forwarding client on the wire: the exact request bytes, answers in every framing, and a
keep-alive connection the handler closed while it was idle."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable

from hookscope.core.forward.client import Pool, deliver

Reply = Callable[[bytes], bytes]


class RawServer:
    """Answers each request with `reply(request bytes)`; closes after each if `close_after`."""

    def __init__(self, reply: Reply, close_after: bool = False) -> None:
        self.reply = reply
        self.close_after = close_after
        self.requests: list[bytes] = []
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                while len(rest) < length:
                    rest += conn.recv(65536)
                request, data = head + b"\r\n\r\n" + rest[:length], rest[length:]
                self.requests.append(request)
                conn.sendall(self.reply(request))
                if self.close_after:
                    return


def test_the_request_goes_out_byte_for_byte_and_a_chunked_answer_is_read() -> None:
    server = RawServer(
        lambda _: b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nx-a: 2\r\n"
        b"\r\n5;ext\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
    )
    headers = (("X-First", "1"), ("host", "public.example"), ("X-Latin", "caf\xe9 \xff"),
               ("x-first", "2"))  # fmt: skip

    async def run() -> None:
        pool = Pool()
        sent = await deliver(
            pool, "POST", f"http://127.0.0.1:{server.port}/p%2F?q=%ff&&", headers, b"\x00\xff",
            timeout_s=5,
        )  # fmt: skip
        await pool.aclose()
        assert sent.status == 201
        assert sent.response_body == b"hello world"
        assert sent.response_headers == (
            ("Transfer-Encoding", "chunked"), ("X-A", "1"), ("x-a", "2"),
        )  # fmt: skip

    asyncio.run(run())
    assert server.requests == [
        b"POST /p%2F?q=%ff&& HTTP/1.1\r\nX-First: 1\r\nhost: public.example\r\n"
        b"X-Latin: caf\xe9 \xff\r\nx-first: 2\r\nContent-Length: 2\r\n\r\n\x00\xff"
    ]


def test_keep_alive_is_reused_and_a_connection_closed_while_idle_is_retried() -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    server = RawServer(lambda _: ok)

    async def run(close_after: bool) -> list[int | None]:
        server.close_after = close_after
        pool = Pool()
        statuses = []
        for _ in range(3):
            sent = await deliver(pool, "GET", f"http://127.0.0.1:{server.port}/", (), b"",
                                 timeout_s=5)  # fmt: skip
            statuses.append(sent.status)
            await asyncio.sleep(0.05)  # let a closed connection's FIN arrive, or not
        await pool.aclose()
        return statuses

    assert asyncio.run(run(False)) == [200, 200, 200]
    assert server.connections == 1
    assert asyncio.run(run(True)) == [200, 200, 200]  # the handler closes after each answer
    assert server.connections == 4


def test_an_answer_without_length_is_read_to_the_close_and_head_has_no_body() -> None:
    server = RawServer(
        lambda request: b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
        if request.startswith(b"HEAD")
        else b"HTTP/1.0 200 OK\r\n\r\nuntil the end",
        close_after=True,
    )

    async def run() -> tuple[bytes, bytes]:
        pool = Pool()
        plain = await deliver(pool, "GET", f"http://127.0.0.1:{server.port}/", (), b"",
                              timeout_s=5)  # fmt: skip
        head = await deliver(pool, "HEAD", f"http://127.0.0.1:{server.port}/", (), b"",
                             timeout_s=5)  # fmt: skip
        await pool.aclose()
        assert head.status == 200
        return plain.response_body, head.response_body

    assert asyncio.run(run()) == (b"until the end", b"")


def test_garbage_from_the_handler_is_a_protocol_error() -> None:
    server = RawServer(lambda _: b"SSH-2.0-OpenSSH\r\n\r\n", close_after=True)

    async def run() -> str | None:
        pool = Pool()
        sent = await deliver(pool, "POST", f"http://127.0.0.1:{server.port}/", (), b"x",
                             timeout_s=5)  # fmt: skip
        await pool.aclose()
        return sent.error

    error = asyncio.run(run())
    assert error is not None
    assert error.startswith("protocol: not an HTTP/1.x answer")
