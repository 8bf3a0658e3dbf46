"""What a tunnel provider is: the command that opens the tunnel, and how to read its output.

A provider drives a tool the user already has (ssh, cloudflared, ngrok, tailscale) as a child
process; hookscope never downloads one. Each line the tool prints is read for the public URL,
for the moment the tunnel carries traffic, and for errors (some of which no retry can fix).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

__all__ = ["Provider", "Reading", "strip_ansi"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def strip_ansi(line: str) -> str:
    return _ANSI.sub("", line)


@dataclass(frozen=True)
class Reading:
    """What one output line says. `up`: the tunnel carries traffic now (with `url`, or the URL
    seen earlier). `fatal`: an error that restarting cannot fix (a missing login, say)."""

    url: str = ""
    up: bool = False
    error: str = ""
    fatal: bool = False


class Provider(ABC):
    kind: str  # ssh, cloudflared, ngrok, tailscale
    label: str  # what the user sees: "ssh: localhost.run"
    executable: str

    @abstractmethod
    def command(self, port: int) -> list[str]:
        """The argv that exposes http://127.0.0.1:`port`."""

    @abstractmethod
    def read(self, line: str) -> Reading | None:
        """What `line` (ANSI codes removed) says, or None if nothing of interest."""

    def poll_url(self, port: int) -> str:
        """A second way to learn the URL while connecting (ngrok's local API); "" if none."""
        return ""
