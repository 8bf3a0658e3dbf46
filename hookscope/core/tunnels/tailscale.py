"""Tailscale Funnel in the foreground (`tailscale funnel http://127.0.0.1:PORT`): the funnel
lasts as long as the process. It prints "Available on the internet:" and the
https://MACHINE.TAILNET.ts.net/ URL; Funnel must be enabled for the tailnet first."""

from __future__ import annotations

import re

from hookscope.core.tunnels.provider import Provider, Reading

__all__ = ["TailscaleFunnel"]

_URL = re.compile(r"(https://[A-Za-z0-9.-]+\.ts\.net)\S*")
_FATAL = ("Funnel is not enabled", "not logged in", "NeedsLogin", "Logged out", "access denied")
_ERRORS = ("error", "failed", "Error", "Failed", "is not running")


class TailscaleFunnel(Provider):
    kind = "tailscale"
    label = "tailscale funnel"
    executable = "tailscale"

    def command(self, port: int) -> list[str]:
        return [self.executable, "funnel", f"http://127.0.0.1:{port}"]

    def read(self, line: str) -> Reading | None:
        match = _URL.search(line)
        if match and "proxy" not in line:
            return Reading(url=match.group(1), up=True)
        text = line.strip()
        if any(marker in text for marker in _FATAL):
            return Reading(error=text, fatal=True)
        if any(marker in text for marker in _ERRORS):
            return Reading(error=text)
        return None
