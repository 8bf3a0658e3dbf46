"""Pass-through: the receiver's hook that answers a sender with its handler's own answer.

Like a reverse proxy: the request goes on to the first pass-through target whose path matches
(and that is not paused) while the sender waits; the handler's status, headers and body come
back to the sender, and are what the capture records as answered. When the handler cannot be
reached the sender gets 502, when it does not answer in time 504; the answer's body and its
`X-Hookscope-Error` header say why, and the capture keeps both. The capture is committed before
the sender gets any answer, as always; the attempt is recorded once the capture has its id.

Runs on the receiver's loop (the sender is waiting for exactly this), with one keep-alive client
per target made on that loop (new ones when a restarted receiver runs a new loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from hookscope.core.forward.client import Pool, Sent, deliver, new_client
from hookscope.core.forward.headers import answer_headers
from hookscope.core.forward.request import build_request
from hookscope.core.forward.target import ForwardTarget, Mode
from hookscope.core.model import Capture, Header
from hookscope.core.rules import Answer

if TYPE_CHECKING:
    from hookscope.core.forward.worker import Forwarder

__all__ = ["ERROR_HEADER", "PassThrough"]

ERROR_HEADER = "X-Hookscope-Error"
_TEXT = ("Content-Type", "text/plain; charset=utf-8")


class PassThrough:
    def __init__(self, forwarder: Forwarder) -> None:
        self.forwarder = forwarder
        self.targets = [t for t in forwarder.targets.values() if t.mode is Mode.PASS_THROUGH]
        self._clients: dict[str, Pool] = {}
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the clients belong to

    def __bool__(self) -> bool:
        return bool(self.targets)

    def target_for(self, request_target: str) -> ForwardTarget | None:
        paused = self.forwarder.paused
        for target in self.targets:
            if target.name not in paused and target.matches(request_target):
                return target
        return None

    async def __call__(
        self,
        method: str,
        request_target: str,
        headers: tuple[Header, ...],
        body: bytes,
        remote: str,
    ) -> tuple[Answer, Callable[[Capture], None]] | None:
        """The handler's answer, and what to call once the capture is committed; None when no
        pass-through target takes this request (the receiver answers as usual)."""
        target = self.target_for(request_target)
        if target is None:
            return None
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # A receiver started again (a new port) runs a new loop; connections made on the
            # old one cannot be used from it (and closed with it).
            self._loop = loop
            self._clients = {}
        client = self._clients.get(target.name)
        if client is None:
            client = self._clients[target.name] = new_client(parallel=64)
        draft = Capture(method, request_target, headers, body, 0, remote=remote)
        url, out = build_request(draft, target)
        sent = await deliver(client, method, url, out, body, timeout_s=target.timeout_s)
        answer = _answer(target, sent)

        def committed(capture: Capture) -> None:
            self.forwarder.record_pass_through(capture, target, sent)

        return answer, committed

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


def _answer(target: ForwardTarget, sent: Sent) -> Answer:
    if sent.status is not None:
        return Answer(
            status=sent.status,
            headers=answer_headers(sent.response_headers),
            body=sent.response_body,
            rule=target.rule,
        )
    status = 504 if sent.timed_out else 502
    reason = sent.error or "no answer"
    return Answer(
        status=status,
        headers=(_TEXT, (ERROR_HEADER, reason)),
        body=f"hookscope could not forward this request to {sent.url}: {reason}\n".encode(),
        rule=target.rule,
    )
