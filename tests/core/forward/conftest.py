"""A store, a handler, and a receiver + forwarder wired as `listen --forward` wires them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hookscope.core.forward import Forwarder, ForwardTarget
from hookscope.core.receiver import Receiver
from hookscope.core.store import Store
from tests.handler import Handler


@dataclass
class Rig:
    store: Store
    handler: Handler
    forwarder: Forwarder | None = None
    receiver: Receiver | None = None
    stopped: list[Callable[[], None]] = field(default_factory=list)

    def run(self, *targets: ForwardTarget) -> Receiver:
        self.forwarder = Forwarder(self.store, targets)
        self.forwarder.start()
        hook = self.forwarder.pass_through or None
        self.receiver = Receiver(self.store, port=0, forward=hook, shutdown_timeout=0.2)
        self.receiver.start()
        return self.receiver

    def stop(self) -> None:
        if self.receiver is not None:
            self.receiver.stop()
        if self.forwarder is not None:
            self.forwarder.stop()


@pytest.fixture
def handler() -> Iterator[Handler]:
    running = Handler().start()
    yield running
    running.stop()


@pytest.fixture
def rig(tmp_path: Path, handler: Handler) -> Iterator[Rig]:
    store = Store.open(tmp_path / "captures.db")
    made = Rig(store, handler)
    yield made
    made.stop()
    store.close()
