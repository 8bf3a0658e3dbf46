"""A running tunnel: start the tool, learn its URL, notice when it drops, start it again after
a growing pause, and stop it (with anything it started) when asked or when hookscope ends.

States: connecting → up → dropped → retrying → connecting …; failed when an error says a
retry cannot help (or the tool cannot be started); stopped at the end. Every change is passed
to `on_change` (from the tunnel's own thread) and kept in `status`.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from hookscope.core.tunnels.process import spawn, terminate
from hookscope.core.tunnels.provider import Provider, strip_ansi

__all__ = ["Backoff", "Tunnel", "TunnelState", "TunnelStatus"]


class TunnelState(StrEnum):
    CONNECTING = "connecting"
    UP = "up"
    DROPPED = "dropped"
    RETRYING = "retrying"
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True)
class TunnelStatus:
    state: TunnelState
    label: str
    url: str = ""
    message: str = ""
    attempt: int = 0
    retry_in: float = 0.0

    def line(self) -> str:
        """One line for a terminal or a status label."""
        text = f"tunnel {self.label}: {self.state.value}"
        if self.state is TunnelState.UP:
            text += f" at {self.url}"
        if self.state is TunnelState.RETRYING:
            text += f" in {self.retry_in:g} s (attempt {self.attempt + 1})"
        if self.message and self.state is not TunnelState.UP:
            text += f": {self.message}"
        return text


@dataclass(frozen=True)
class Backoff:
    """Pauses between restarts: `first`, then times `factor`, at most `most` seconds. Back to
    `first` once a connection has come up."""

    first: float = 1.0
    factor: float = 2.0
    most: float = 60.0


_EOF = object()


class Tunnel:
    def __init__(
        self,
        provider: Provider,
        port: int,
        *,
        on_change: Callable[[TunnelStatus], None] | None = None,
        backoff: Backoff | None = None,
        url_timeout: float = 60.0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.provider = provider
        self.port = port
        self.on_change = on_change
        self.backoff = backoff or Backoff()
        self.url_timeout = url_timeout
        self.env = env
        self._status = TunnelStatus(TunnelState.STOPPED, provider.label)
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._proc: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None

    @property
    def status(self) -> TunnelStatus:
        return self._status

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None else None

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="hookscope-tunnel", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the tool and its process group; returns once it has exited. Safe twice."""
        self._stopping.set()
        proc = self._proc
        if proc is not None:
            terminate(proc)
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

    def wait_for(self, predicate: Callable[[TunnelStatus], bool], timeout: float) -> TunnelStatus:
        """The first status that satisfies `predicate` (or the current one at the timeout)."""
        with self._changed:
            self._changed.wait_for(lambda: predicate(self._status), timeout)
            return self._status

    # -- the tunnel's thread ---------------------------------------------------------------

    def _set(self, state: TunnelState, **fields: object) -> None:
        with self._changed:
            self._status = replace(self._status, state=state, **fields)  # type: ignore[arg-type]
            status = self._status
            self._changed.notify_all()
        if self.on_change is not None:
            self.on_change(status)

    def _run(self) -> None:
        delay = self.backoff.first
        attempt = 0
        try:
            while not self._stopping.is_set():
                attempt += 1
                self._set(TunnelState.CONNECTING, url="", message="", attempt=attempt, retry_in=0.0)
                try:
                    proc = spawn(self.provider.command(self.port), self.env)
                except OSError as exc:
                    self._set(TunnelState.FAILED, message=f"cannot start {exc.filename}: {exc}")
                    return
                self._proc = proc
                was_up, message, fatal = self._watch(proc)
                code = terminate(proc)
                if self._stopping.is_set():
                    break
                if not message:
                    message = f"{self.provider.executable} exited with status {code}"
                if fatal:
                    self._set(TunnelState.FAILED, message=message)
                    return
                if was_up:
                    delay = self.backoff.first
                self._set(TunnelState.DROPPED, message=message)
                self._set(TunnelState.RETRYING, message=message, retry_in=delay)
                if self._stopping.wait(delay):
                    break
                delay = min(delay * self.backoff.factor, self.backoff.most)
        finally:
            self._proc = None
            if self._status.state is not TunnelState.FAILED:
                self._set(TunnelState.STOPPED, retry_in=0.0)

    def _watch(self, proc: subprocess.Popen[str]) -> tuple[bool, str, bool]:
        """Read the tool's output until it exits: (was it up, last error, was it fatal)."""
        lines: queue.SimpleQueue[object] = queue.SimpleQueue()
        threading.Thread(
            target=_pump, args=(proc, lines), name="hookscope-tunnel-output", daemon=True
        ).start()
        provider = self.provider
        started = time.monotonic()
        url, up, message = "", False, ""
        next_poll = started + 2.0
        while True:
            try:
                item = lines.get(timeout=0.5)
            except queue.Empty:
                item = None
            if item is _EOF or self._stopping.is_set():  # stop() may miss a process just started
                return up, message, False
            if isinstance(item, str):
                reading = provider.read(strip_ansi(item).rstrip("\r\n"))
                if reading is not None:
                    if reading.error:
                        message = reading.error
                        if reading.fatal:
                            return up, message, True
                    if reading.url:
                        url = reading.url.rstrip("/")
                    if reading.up and url and (not up or url != self._status.url):
                        up = True
                        self._set(TunnelState.UP, url=url, message="")
            now = time.monotonic()
            if not up and now >= next_poll:
                next_poll = now + 1.0
                polled = provider.poll_url(self.port)
                if polled:
                    url, up = polled.rstrip("/"), True
                    self._set(TunnelState.UP, url=url, message="")
            if not up and now - started > self.url_timeout and not self._stopping.is_set():
                return False, message or f"no public URL after {self.url_timeout:g} s", False


def _pump(proc: subprocess.Popen[str], lines: queue.SimpleQueue[object]) -> None:
    stream = proc.stdout
    if stream is not None:
        try:
            for line in stream:
                lines.put(line)
        except (OSError, ValueError):
            pass
    lines.put(_EOF)
