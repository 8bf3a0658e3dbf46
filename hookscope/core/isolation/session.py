"""The app's session with its receiver in a child process (`hookscope gui`).

The same `Session` the window always used: ports, rules, forwarding and the public URL behave
alike; only the receiving, storing and forwarding happen in the receiver process, so a burst of
webhooks takes none of the window's interpreter, and the window's work none of the receiver's.
"""

from __future__ import annotations

from collections.abc import Callable

from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT
from hookscope.core.isolation.host import ReceiverHost
from hookscope.core.isolation.protocol import ChildOptions
from hookscope.core.isolation.remote import RemoteForwarding, RemoteReceiver, RemoteRuleSet
from hookscope.core.receiver import Listener
from hookscope.core.responder import Responder
from hookscope.core.session import Session
from hookscope.core.store import Store

__all__ = ["IsolatedSession"]


class IsolatedSession(Session):
    def __init__(
        self,
        store: Store,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        max_body: int = DEFAULT_MAX_BODY,
        responder: Responder | None = None,
    ) -> None:
        responder = responder or Responder()
        self.receiver_host = ReceiverHost(
            store,
            ChildOptions(
                db_path=str(store.path),
                durable=store.durable,
                status=responder.status,
                delay_s=responder.delay_s,
                fail_first=responder.fail_first,
            ),
        )
        self.receiver_host.start()  # it boots while the window is built
        super().__init__(store, host=host, port=port, max_body=max_body, responder=responder)
        saved = responder.rules.rules if responder.rules is not None else ()
        self.responder.rules = RemoteRuleSet(self.receiver_host, saved)
        self.forwarding = RemoteForwarding(store, self.receiver_host)

    def _new_receiver(self, port: int) -> Listener:
        return RemoteReceiver(
            self.receiver_host, bind_host=self.host, port=port, max_body=self.max_body
        )

    def watch(self, note: Callable[[str], None]) -> None:
        self.receiver_host.subscribe_notes(note)

    def refresh_guards(self) -> None:
        exposure = self.exposure
        if exposure is not None and exposure.guards is not None:
            self.receiver_host.set_signatures(exposure.guards.signature_settings())

    def close(self) -> None:
        """Stop the tunnel, then the receiver process (in-flight requests finish and commit
        there), then close the store."""
        self.unexpose()
        self.stop_receiver()
        self.receiver_host.close()
        self.store.close()
