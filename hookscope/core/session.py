"""A session: the store, the receiver that feeds it, its fault rules, forwarding and tunnel,
as the app holds them across port changes.

The window reaches the receiver's side only through here (the store it uses directly), so tests
can drive the same steps without a window. `hookscope listen` runs one receiver for its whole
life and builds it directly, with its own options (timeouts, a forwarder of its own).
"""

from __future__ import annotations

from collections.abc import Callable

from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT, receiver_url
from hookscope.core.errors import HookscopeError
from hookscope.core.forward.control import Forwarding
from hookscope.core.receiver import Listener, Receiver
from hookscope.core.responder import Responder
from hookscope.core.rules import RuleSet
from hookscope.core.store import Store
from hookscope.core.tunnels.public import Exposure

__all__ = ["Session"]


class Session:
    def __init__(
        self,
        store: Store,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        max_body: int = DEFAULT_MAX_BODY,
        responder: Responder | None = None,
    ) -> None:
        self.store = store
        self.host = host
        self.port = port
        self.max_body = max_body
        self.responder = responder or Responder()
        self.receiver: Listener | None = None
        self.forwarding = Forwarding(store)  # no targets: receiving is as without it
        self.error: HookscopeError | None = None
        self.exposure: Exposure | None = None  # a public URL through a tunnel, when asked

    @property
    def rules(self) -> RuleSet:
        """The receiver's fault rules, live (`replace` them from any thread). Made empty on
        first use, so the app can edit rules even when none were loaded at start."""
        if self.responder.rules is None:
            self.responder.rules = RuleSet()
        return self.responder.rules

    @property
    def listening(self) -> bool:
        return self.receiver is not None and self.receiver.running

    @property
    def url(self) -> str:
        return receiver_url(self.host, self.port)

    def start_receiver(self, port: int | None = None) -> bool:
        """Listen on `port` (or the current one). False, with `error` set, if it cannot; a
        receiver already running then keeps running (the new port is bound before the old
        one is let go), so a typo in a port number never leaves nothing listening."""
        wanted = self.port if port is None else port
        if self.listening and wanted == self.port:
            self.error = None
            return True  # already there: a restart would only drop connections
        receiver = self._new_receiver(wanted)
        try:
            bound = receiver.start()
        except HookscopeError as exc:
            self.error = exc
            if not self.listening:
                self.port = wanted
            return False
        self.stop_receiver()
        self.receiver = receiver
        self.port = bound
        self.error = None
        if self.exposure is not None:  # the tunnel follows the receiver to its new port
            self.exposure.start(receiver)
        return True

    def _new_receiver(self, port: int) -> Listener:
        return Receiver(
            self.store,
            host=self.host,
            port=port,
            max_body=self.max_body,
            responder=self.responder,
            forward=self.forwarding,
        )

    def watch(self, note: Callable[[str], None]) -> None:
        """`note(text)` for what the user should hear about receiving (on any thread). An
        in-process receiver has nothing to add to its log."""

    def refresh_guards(self) -> None:
        """The signature settings changed: required-signature guards check the new ones.
        In process they read them live."""

    def expose(self, exposure: Exposure) -> bool:
        """Open a tunnel to the receiver, guarded; False (nothing started) if not listening."""
        self.unexpose()
        if self.receiver is None:
            return False
        self.exposure = exposure
        exposure.start(self.receiver)
        return True

    def unexpose(self) -> None:
        if self.exposure is not None:
            self.exposure.stop()
            self.exposure = None

    def stop_receiver(self) -> None:
        if self.exposure is not None:
            self.exposure.stop()  # kept, to reopen on the next start_receiver
        if self.receiver is not None:
            self.receiver.stop()
            self.receiver = None

    def close(self) -> None:
        """Stop the tunnel and receiving (in-flight requests finish and commit), then close
        the store."""
        self.unexpose()
        self.stop_receiver()
        self.forwarding.stop()
        self.store.close()
