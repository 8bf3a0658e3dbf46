"""Forwarding whose targets change while receiving: the app's (and any long-lived session's).

The receiver keeps one hook for its whole life; this object is that hook, and hands each request
to the forwarder of the moment. Changing the targets stops the old forwarder (an attempt in
flight is recorded as interrupted and resumes with the new one if its target stays) and starts
a new one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from hookscope.core.forward.target import ForwardTarget
from hookscope.core.forward.worker import AttemptEvent, Forwarder
from hookscope.core.model import Capture, Header
from hookscope.core.rules import Answer
from hookscope.core.store import Store
from hookscope.core.store.outbox import TargetCounts

__all__ = ["Forwarding"]


class Forwarding:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.forwarder: Forwarder | None = None
        self._lock = threading.Lock()
        self._listeners: list[Callable[[AttemptEvent], None]] = []

    @property
    def targets(self) -> tuple[ForwardTarget, ...]:
        forwarder = self.forwarder
        return () if forwarder is None else tuple(forwarder.targets.values())

    def set_targets(self, targets: Iterable[ForwardTarget]) -> None:
        chosen = list(targets)
        with self._lock:
            old, self.forwarder = self.forwarder, None
            if old is not None:
                old.stop()
            if chosen:
                forwarder = Forwarder(self.store, chosen)
                for listener in self._listeners:
                    forwarder.subscribe(listener)
                forwarder.start()
                self.forwarder = forwarder

    def subscribe(self, listener: Callable[[AttemptEvent], None]) -> None:
        """`listener(event)` after each attempt, on the forwarder's thread."""
        self._listeners.append(listener)
        if self.forwarder is not None:
            self.forwarder.subscribe(listener)

    def paused(self, name: str) -> bool:
        forwarder = self.forwarder
        return forwarder is not None and name in forwarder.paused

    def set_paused(self, name: str, paused: bool) -> None:
        forwarder = self.forwarder
        if forwarder is not None:
            if paused:
                forwarder.pause(name)
            else:
                forwarder.resume_target(name)

    def counts(self) -> dict[str, TargetCounts]:
        forwarder = self.forwarder
        return {} if forwarder is None else forwarder.counts()

    def forward_again(self, capture_ids: Iterable[int]) -> int:
        """Deliver stored captures again to every target whose path each matches; returns the
        deliveries queued."""
        forwarder = self.forwarder
        if forwarder is None:
            return 0
        ids = list(capture_ids)
        total = 0
        for target in forwarder.targets.values():
            matching = [
                capture_id
                for capture_id in ids
                if (capture := self.store.get(capture_id)) is not None
                and target.matches(capture.target)
            ]
            if matching:
                total += forwarder.enqueue(matching, target.name)
        return total

    def stop(self) -> None:
        self.set_targets(())

    async def __call__(
        self, method: str, target: str, headers: tuple[Header, ...], body: bytes, remote: str
    ) -> tuple[Answer, Callable[[Capture], None]] | None:
        forwarder = self.forwarder
        if forwarder is None or not forwarder.pass_through:
            return None
        return await forwarder.pass_through(method, target, headers, body, remote)
