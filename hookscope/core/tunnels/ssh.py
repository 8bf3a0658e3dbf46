"""Reverse tunnels with plain OpenSSH (`ssh -R`): to localhost.run, Pinggy or Serveo, which
print the public URL they assign, or to the user's own server, where the URL is the server's
address and the port it listens on. `$HOOKSCOPE_SSH_CONFIG` names an ssh config file to use
(`-F`) for keys, ports and host aliases."""

from __future__ import annotations

import os
import re
import subprocess

from hookscope.core.errors import HookscopeError
from hookscope.core.tunnels.provider import Provider, Reading

__all__ = ["SERVICES", "OwnServer", "SshService", "ssh_provider"]

# Never prompt (there is no terminal to answer), drop a dead connection within a minute, and
# fail at once if the server refuses the forwarding rather than stay up without it.
_COMMON = [
    "-T",
    "-o", "BatchMode=yes",
    "-o", "ExitOnForwardFailure=yes",
    "-o", "ServerAliveInterval=20",
    "-o", "ServerAliveCountMax=3",
]  # fmt: skip
_FATAL = (
    "Permission denied",
    "Host key verification failed",
    "REMOTE HOST IDENTIFICATION HAS CHANGED",
    "Bad configuration option",
    "Can't open user config file",
)
_ERRORS = (
    "ssh:",
    "Connection refused",
    "Connection closed",
    "Connection timed out",
    "Could not resolve",
    "remote port forwarding failed",
    "Error:",
    "Warning: remote",
    "Broken pipe",
    "Timeout, server",
)


def _config_args() -> list[str]:
    config = os.environ.get("HOOKSCOPE_SSH_CONFIG")
    return ["-F", config] if config else []


def _read_error(line: str) -> Reading | None:
    text = line.strip()
    if any(marker in text for marker in _FATAL):
        return Reading(error=text, fatal=True)
    if any(marker in text for marker in _ERRORS):
        return Reading(error=text)
    return None


class SshService(Provider):
    """A public service reached with `ssh -R` that prints the URL it assigned."""

    kind = "ssh"
    executable = "ssh"

    def __init__(self, name: str, args: list[str], url: str, hint: str) -> None:
        self.name = name
        self.label = f"ssh: {name}"
        self._args = args  # {port} is the local port
        self._url = re.compile(url)
        self.hint = hint

    def command(self, port: int) -> list[str]:
        args = [a.format(port=port) for a in self._args]
        return [self.executable, *_COMMON, "-o", "StrictHostKeyChecking=accept-new", *args]

    def read(self, line: str) -> Reading | None:
        match = self._url.search(line)
        if match:
            return Reading(url=match.group(1), up=True)
        return _read_error(line)


# Each service's documented command line, and the line that carries the URL it assigned:
#   localhost.run: "47970a65005227.lhr.life tunneled with tls termination, https://…lhr.life"
#   Pinggy (-T): the http:// and https:// URLs, one a line, e.g. https://…a.free.pinggy.link
#   Serveo: "Forwarding HTTP traffic from https://….serveo.net"
SERVICES: dict[str, SshService] = {
    "localhost.run": SshService(
        "localhost.run",
        ["-R", "80:127.0.0.1:{port}", "nokey@localhost.run"],
        r"tunneled with tls termination, (https://[A-Za-z0-9.-]+)",
        "free, random https://….lhr.life URL; a new one after each reconnect",
    ),
    "pinggy": SshService(
        "pinggy",
        ["-p", "443", "-R", "0:127.0.0.1:{port}", "a.pinggy.io"],
        r"(https://[A-Za-z0-9.-]+\.pinggy\.(?:link|online|io))",
        "free tunnels last 60 minutes; hookscope reconnects and shows the new URL",
    ),
    "serveo": SshService(
        "serveo",
        ["-R", "80:127.0.0.1:{port}", "serveo.net"],
        r"Forwarding HTTP traffic from (https?://[A-Za-z0-9.-]+)",
        "needs your ssh key registered with Serveo (it prints where on first use)",
    ),
}

_ALLOCATED = re.compile(r"Allocated port (\d+) for remote forward")
_SUCCESS = re.compile(r"remote forward success for: listen (?:(\S+):)?(\d+), connect")


class OwnServer(Provider):
    """`ssh -R PORT:127.0.0.1:LOCAL user@host` to a server the user controls. The server listens
    on PORT (0: one it picks); with `GatewayPorts no` only on its loopback, for a web server
    there to proxy. The URL shown is http://HOST:PORT."""

    kind = "ssh"
    executable = "ssh"

    def __init__(self, destination: str, remote_port: int = 0) -> None:
        if not destination or destination.startswith("-"):
            raise HookscopeError(f"not an ssh destination: {destination!r}")
        self.destination = destination
        self.remote_port = remote_port
        self.label = f"ssh: {destination}"
        self._host = ""

    @classmethod
    def parse(cls, target: str) -> OwnServer:
        """`user@host` or `user@host:REMOTE_PORT`."""
        destination, sep, port = target.rpartition(":")
        if sep and port.isdigit() and destination and "[" not in port:
            number = int(port)
            if number > 65535:
                raise HookscopeError(f"a remote port is 0 to 65535, got {number}")
            return cls(destination, number)
        return cls(target)

    def command(self, port: int) -> list[str]:
        # -v: OpenSSH reports that the forward took ("remote forward success") only in debug.
        return [
            self.executable,
            *_config_args(),
            *_COMMON,
            "-N",
            "-v",
            "-R",
            f"{self.remote_port}:127.0.0.1:{port}",
            self.destination,
        ]

    def host(self) -> str:
        """The server's real host name (resolving aliases in the ssh config) for the URL."""
        if not self._host:
            self._host = _resolve_host(self.destination)
        return self._host

    def read(self, line: str) -> Reading | None:
        allocated = _ALLOCATED.search(line)
        if allocated:
            return Reading(url=f"http://{self.host()}:{allocated.group(1)}", up=True)
        success = _SUCCESS.search(line)
        if success and success.group(2) != "0":
            return Reading(url=f"http://{self.host()}:{success.group(2)}", up=True)
        if line.startswith("debug"):
            return None
        return _read_error(line)


def _resolve_host(destination: str) -> str:
    try:
        shown = subprocess.run(
            ["ssh", *_config_args(), "-G", destination],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        shown = ""
    for line in shown.splitlines():
        key, _, value = line.partition(" ")
        if key == "hostname" and value:
            return f"[{value}]" if ":" in value else value
    return destination.rsplit("@", 1)[-1]


def ssh_provider(target: str | None) -> Provider:
    """localhost.run (the default), pinggy, serveo, or `user@host[:REMOTE_PORT]`."""
    name = (target or "localhost.run").strip()
    if name in SERVICES:
        return SERVICES[name]
    return OwnServer.parse(name)
