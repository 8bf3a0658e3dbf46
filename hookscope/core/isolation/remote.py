"""Stand-ins, in the app's process, for what runs in the receiver process: a receiver, the
fault rules and forwarding. Each keeps what the window reads (so reading never waits on the
child) and passes every change on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from hookscope.core.defaults import receiver_url
from hookscope.core.forward.control import Forwarding
from hookscope.core.forward.target import ForwardTarget
from hookscope.core.forward.worker import AttemptEvent
from hookscope.core.guards import Guards
from hookscope.core.isolation.host import ReceiverHost
from hookscope.core.receiver import bind_listener
from hookscope.core.rules import Rule, RuleSet
from hookscope.core.store import Store
from hookscope.core.store import outbox as outbox_table
from hookscope.core.store.outbox import TargetCounts

__all__ = ["RemoteForwarding", "RemoteReceiver", "RemoteRuleSet"]


class RemoteReceiver:
    """A receiver served by the receiver process on a socket bound here (`Listener`)."""

    def __init__(self, host: ReceiverHost, *, bind_host: str, port: int, max_body: int) -> None:
        self._host = host
        self.bind_host = bind_host
        self.port = port
        self.max_body = max_body
        self._slot: int | None = None
        self._guards: Guards | None = None

    @property
    def url(self) -> str:
        return receiver_url(self.bind_host, self.port)

    @property
    def running(self) -> bool:
        return self._slot is not None and self._host.serving(self._slot)

    def start(self) -> int:
        """Bind here (a port in use fails here, at once) and hand the socket to the child."""
        sock = bind_listener(self.bind_host, self.port)
        self.port = sock.getsockname()[1]
        self._slot = self._host.open_slot(self.bind_host, sock, self.max_body)
        return self.port

    def stop(self) -> None:
        slot, self._slot = self._slot, None
        if slot is not None:
            self._host.close_slot(slot)

    @property
    def guards(self) -> Guards | None:
        return self._guards

    @guards.setter
    def guards(self, guards: Guards | None) -> None:
        self._guards = guards
        if self._slot is None:
            return
        if guards is None:
            self._host.set_guards(self._slot, None)
            return
        # The child must check the very secret shown here.
        secret = guards.secret_path.secret if guards.secret_path is not None else None
        settings = replace(guards.settings, secret=secret)
        self._host.set_guards(self._slot, settings, guards.signature_settings())


class RemoteRuleSet(RuleSet):
    """The fault rules as the window edits them; the child answers by its copy."""

    def __init__(self, host: ReceiverHost, rules: Iterable[Rule] = ()) -> None:
        self._host = host
        super().__init__(rules)
        host.set_rules(self.rules, wait=False)

    def replace(self, rules: Iterable[Rule]) -> None:
        super().replace(rules)
        self._host.set_rules(self.rules)

    def reset(self) -> None:
        super().replace(self.rules)
        self._host.reset_rules()

    def answered(self) -> dict[str, int]:
        counts = self._host.answered()
        return {rule.name: counts.get(rule.name, 0) for rule in self.rules if rule.enabled}


class RemoteForwarding(Forwarding):
    """Forwarding as the window sees it; the child's forwarder delivers. Counts are read from
    the shared store, so they never wait on the child."""

    def __init__(self, store: Store, host: ReceiverHost) -> None:
        super().__init__(store)
        self._host = host

    @property
    def targets(self) -> tuple[ForwardTarget, ...]:
        return self._host.targets

    def set_targets(self, targets: Iterable[ForwardTarget]) -> None:
        self._host.set_targets(targets)

    def subscribe(self, listener: Callable[[AttemptEvent], None]) -> None:
        self._host.subscribe_attempts(listener)

    def paused(self, name: str) -> bool:
        return self._host.paused(name)

    def set_paused(self, name: str, paused: bool) -> None:
        self._host.set_paused(name, paused)

    def counts(self) -> dict[str, TargetCounts]:
        return outbox_table.counts(self.store.reader(), [t.name for t in self._host.targets])

    def forward_again(self, capture_ids: Iterable[int]) -> int:
        return self._host.forward_again(capture_ids)

    def stop(self) -> None:
        pass  # the child's forwarder stops with the child
