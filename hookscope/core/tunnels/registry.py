"""The providers by kind, which of them are installed, and how to install the others."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from hookscope.core.errors import HookscopeError
from hookscope.core.tunnels.cloudflared import Cloudflared
from hookscope.core.tunnels.ngrok import Ngrok
from hookscope.core.tunnels.provider import Provider
from hookscope.core.tunnels.ssh import ssh_provider
from hookscope.core.tunnels.tailscale import TailscaleFunnel

__all__ = ["KINDS", "Availability", "availability", "make_provider"]

KINDS = ("ssh", "cloudflared", "ngrok", "tailscale")
_EXECUTABLES = {
    "ssh": "ssh",
    "cloudflared": "cloudflared",
    "ngrok": "ngrok",
    "tailscale": "tailscale",
}
_INSTALL = {
    "ssh": "install OpenSSH's client (apt install openssh-client; macOS and Windows 10+ have it)",
    "cloudflared": "install cloudflared (brew install cloudflared, or Cloudflare's package: "
    "https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/)",
    "ngrok": "install the ngrok agent (https://ngrok.com/download), then run "
    "`ngrok config add-authtoken TOKEN`",
    "tailscale": "install Tailscale (https://tailscale.com/download), log in, and enable Funnel "
    "for your tailnet",
}
_TARGETS = {
    "ssh": "localhost.run (default), pinggy, serveo, or user@host[:REMOTE_PORT]",
    "cloudflared": "a quick tunnel (default), or NAME=HOSTNAME for a named tunnel",
    "ngrok": "a random domain (default), or your reserved DOMAIN",
    "tailscale": "this machine's https://….ts.net name",
}


@dataclass(frozen=True)
class Availability:
    kind: str
    available: bool
    path: str  # where the tool is, "" if not found
    detail: str  # the targets it offers, or how to install it

    def line(self) -> str:
        if self.available:
            return f"{self.kind}: available ({self.path}): {self.detail}"
        return f"{self.kind}: not installed: {self.detail}"


def availability(kind: str) -> Availability:
    executable = _EXECUTABLES[kind]
    path = shutil.which(executable) or ""
    if path:
        return Availability(kind, True, path, _TARGETS[kind])
    return Availability(kind, False, "", f"`{executable}` is not on PATH; {_INSTALL[kind]}")


def make_provider(kind: str, target: str | None = None) -> Provider:
    """The provider for `--public KIND [--public-target TARGET]`; HookscopeError if the tool
    is missing or the target makes no sense for it (one line, for the user)."""
    if kind not in KINDS:
        raise HookscopeError(f"unknown tunnel {kind!r}; choose one of {', '.join(KINDS)}")
    found = availability(kind)
    if not found.available:
        raise HookscopeError(f"{kind} is not installed: {found.detail}")
    if kind == "ssh":
        return ssh_provider(target)
    if kind == "cloudflared":
        return Cloudflared(target)
    if kind == "ngrok":
        return Ngrok(target)
    if target:
        raise HookscopeError("tailscale funnel takes no --public-target")
    return TailscaleFunnel()
