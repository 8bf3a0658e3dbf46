"""Cloudflare Tunnel through `cloudflared`: a quick tunnel (no account; a random
https://….trycloudflare.com URL, printed in a box in its log), or a named tunnel the user has
set up (`NAME=HOSTNAME`, served at https://HOSTNAME). Either is up once cloudflared logs
"Registered tunnel connection"."""

from __future__ import annotations

import re

from hookscope.core.errors import HookscopeError
from hookscope.core.tunnels.provider import Provider, Reading

__all__ = ["Cloudflared"]

_QUICK_URL = re.compile(r"(https://[a-z0-9-]+\.trycloudflare\.com)")
_REGISTERED = ("Registered tunnel connection", "registered connIndex=")
_ERROR = re.compile(r"\b(?:ERR|FTL)\b\s*(.*)")
_FATAL = ("cert.pem", "credentials file", "Cannot determine default origin certificate")


class Cloudflared(Provider):
    kind = "cloudflared"
    executable = "cloudflared"

    def __init__(self, target: str | None = None) -> None:
        self.name = ""
        self.hostname = ""
        if target:
            name, sep, hostname = target.partition("=")
            if not sep or not name or not hostname:
                raise HookscopeError(
                    "a named tunnel is NAME=HOSTNAME (e.g. hooks=hooks.example.com), "
                    f"got {target!r}"
                )
            self.name = name
            self.hostname = hostname.removeprefix("https://").rstrip("/")
        self.label = f"cloudflared: {self.name}" if self.name else "cloudflared (quick tunnel)"

    def command(self, port: int) -> list[str]:
        origin = f"http://127.0.0.1:{port}"
        if self.name:
            return [self.executable, "tunnel", "--no-autoupdate", "run", "--url", origin, self.name]
        return [self.executable, "tunnel", "--no-autoupdate", "--url", origin]

    def read(self, line: str) -> Reading | None:
        if any(marker in line for marker in _REGISTERED):
            return Reading(url=f"https://{self.hostname}" if self.hostname else "", up=True)
        if line.startswith(("failed to", "error")):  # before the URL: it may name the API's
            return Reading(error=line.strip())
        if not self.name and (match := _QUICK_URL.search(line)):
            return Reading(url=match.group(1))
        error = _ERROR.search(line)
        if error:
            text = error.group(1).strip()
            return Reading(error=text, fatal=any(marker in text for marker in _FATAL))
        return None
