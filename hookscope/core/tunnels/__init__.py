"""Public URLs through tunnels the user already has: ssh (localhost.run, Pinggy, Serveo, or
their own server), cloudflared, ngrok and Tailscale Funnel, each driven as a child process."""

from hookscope.core.tunnels.hints import PASTE_HINTS
from hookscope.core.tunnels.provider import Provider, Reading
from hookscope.core.tunnels.registry import KINDS, Availability, availability, make_provider
from hookscope.core.tunnels.supervisor import Backoff, Tunnel, TunnelState, TunnelStatus

__all__ = [
    "KINDS",
    "PASTE_HINTS",
    "Availability",
    "Backoff",
    "Provider",
    "Reading",
    "Tunnel",
    "TunnelState",
    "TunnelStatus",
    "availability",
    "make_provider",
]
