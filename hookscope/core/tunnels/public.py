"""A receiver made public: a tunnel to it and the guards in front of it, together.

The guards go on when the tunnel starts (not when it is up: the tool may connect before
hookscope reads its URL) and come off when it stops. The URL to hand out is the tunnel's
plus the secret prefix.
"""

from __future__ import annotations

from collections.abc import Callable

from hookscope.core.guards import Guards, GuardSettings
from hookscope.core.receiver import Listener
from hookscope.core.signature_settings import SignatureSettings
from hookscope.core.tunnels.provider import Provider
from hookscope.core.tunnels.supervisor import Backoff, Tunnel, TunnelStatus

__all__ = ["Exposure"]


class Exposure:
    def __init__(
        self,
        provider: Provider,
        guard_settings: GuardSettings,
        *,
        signatures: Callable[[], SignatureSettings] | None = None,
        on_change: Callable[[TunnelStatus], None] | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.provider = provider
        self.guard_settings = guard_settings
        self.guards = Guards(guard_settings, signatures) if guard_settings.any_on else None
        self.on_change = on_change
        self.backoff = backoff
        self.tunnel: Tunnel | None = None
        self._receiver: Listener | None = None

    def start(self, receiver: Listener) -> Tunnel:
        """Guard `receiver` and open the tunnel to its port."""
        self._receiver = receiver
        receiver.guards = self.guards
        tunnel = Tunnel(
            self.provider, receiver.port, on_change=self.on_change, backoff=self.backoff
        )
        self.tunnel = tunnel
        tunnel.start()
        return tunnel

    def stop(self) -> None:
        if self.tunnel is not None:
            self.tunnel.stop()
            self.tunnel = None
        if self._receiver is not None:
            self._receiver.guards = None
            self._receiver = None

    def public_url(self, status: TunnelStatus | None = None) -> str:
        """The URL senders should use ("" while the tunnel has none)."""
        if status is None:
            status = self.tunnel.status if self.tunnel is not None else None
        if status is None or not status.url:
            return ""
        return status.url + (self.guards.prefix if self.guards is not None else "")
