"""SIGINT and SIGTERM quit the app through its one shutdown path.

Qt's event loop runs in C++, so Python's signal handlers would only run at the next Python
callback. A wakeup fd watched by a QSocketNotifier makes the loop wake at once.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

__all__ = ["install_quit_signals"]


def install_quit_signals(parent: QObject, request_quit: Callable[[], None]) -> Callable[[], None]:
    """Route SIGINT/SIGTERM to `request_quit`; returns a function that restores the old state."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, parent)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: request_quit())

    def restore() -> None:
        signal.set_wakeup_fd(previous_fd)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        notifier.setEnabled(False)
        reader.close()
        writer.close()

    return restore
