"""The receiver process: the app's receivers, their store writer and forwarding, away from the
window's interpreter (and its GIL).

It opens the same store file as the window and commits there; the window reads it. It serves
listening sockets its parent bound and keeps (so a restart of this process leaves senders
queued in the kernel, not refused). It ends when told to, on SIGTERM, or when its parent's end
of the pipe closes (the app was killed): in-flight requests finish and commit first.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import sys
import threading
from dataclasses import replace
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from typing import Any

from hookscope.core.events import CapturesAdded, Event
from hookscope.core.faultlog import describe
from hookscope.core.forward.control import Forwarding
from hookscope.core.guards import Guards, GuardSettings
from hookscope.core.isolation import protocol as p
from hookscope.core.receiver import Receiver
from hookscope.core.responder import Responder
from hookscope.core.rules import RuleSet
from hookscope.core.signature_settings import SignatureSettings
from hookscope.core.store import Store

__all__ = ["main"]

_PR_SET_PDEATHSIG = 1
_LOOP_TURN_S = 2.0  # a receiver loop that runs no callback for this long is stuck


def main(conn: Connection, options: p.ChildOptions) -> None:
    """The child's entry point (multiprocessing target)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app decides when Ctrl+C stops us
    signal.signal(signal.SIGTERM, _exit_quietly)
    _die_with_parent()
    outbox = _Outbox(conn)
    logging.basicConfig(level=logging.INFO, handlers=[_PipeLog(outbox)], force=True)
    try:
        child = Child(conn, outbox, options)
    except Exception as exc:  # said in the window (a note) rather than as a traceback
        logging.getLogger("hookscope").error(
            "the receiver process could not start: %s", describe(exc)
        )
        outbox.close()
        sys.exit(1)
    try:
        child.run()
    except SystemExit:
        pass
    finally:
        outbox.close()


class Child:
    def __init__(self, conn: Connection, outbox: _Outbox, options: p.ChildOptions) -> None:
        self.conn = conn
        self.outbox = outbox
        self.options = options
        self.store = Store.open(options.db_path, durable=options.durable)
        self.rules = RuleSet()
        self.responder = Responder(
            status=options.status,
            delay_s=options.delay_s,
            fail_first=options.fail_first,
            rules=self.rules,
        )
        self.forwarding = Forwarding(self.store)
        self.forwarding.subscribe(lambda event: outbox.put((p.ATTEMPT, event)))
        self.receivers: dict[int, Receiver] = {}
        self.signatures = SignatureSettings()
        self.store.feed.subscribe(self._committed)

    def _committed(self, event: Event) -> None:
        # The store's writer thread: hand over at once (the outbox never blocks).
        if isinstance(event, CapturesAdded) and not event.external and event.captures:
            newest = event.captures[-1].id
            answered = self.rules.answered() if len(self.rules) else None
            self.outbox.put((p.ADDED, newest, answered))

    def run(self) -> None:
        self.outbox.put((p.READY, os.getpid()))
        try:
            while True:
                try:
                    message = self.conn.recv()
                except (EOFError, OSError):
                    return  # the app is gone: finish in-flight requests and stop
                name, ask, *args = message
                try:
                    value = self._do(name, args)
                except Exception as exc:
                    self.outbox.put((p.REPLY, ask, False, p.error_to(exc)))
                else:
                    self.outbox.put((p.REPLY, ask, True, value))
                if name == p.CLOSE:
                    return
        finally:
            self._stop_all()

    def _do(self, name: str, args: list[Any]) -> Any:
        if name == p.START:
            slot, host, max_body, guards, signatures = args
            sock = socket.socket(fileno=recv_handle(self.conn))
            if signatures is not None:
                self.signatures = signatures
            receiver = Receiver(
                self.store,
                host=host,
                port=sock.getsockname()[1],
                max_body=max_body,
                responder=self.responder,
                forward=self.forwarding,
                shutdown_timeout=self.options.shutdown_timeout,
                sock=sock,
            )
            # Guarded before it serves: a restarted child's first requests are the senders that
            # waited in the queue, and they must meet the same secret path and rate limit.
            receiver.guards = self._guards(guards, None)
            port = receiver.start()
            previous = self.receivers.pop(slot, None)
            if previous is not None:  # told twice: serve once, never leave one running unseen
                previous.stop()
            self.receivers[slot] = receiver
            return port
        if name == p.STOP:
            stopping = self.receivers.pop(args[0], None)
            if stopping is not None:
                stopping.stop()
            return None
        if name == p.GUARDS:
            slot, settings, signatures = args
            if signatures is not None:
                self.signatures = signatures
            guarded = self.receivers.get(slot)
            if guarded is not None:
                guarded.guards = self._guards(settings, guarded.guards)
            return None
        if name == p.RULES:
            rules, since_loaded, answered = args
            self.rules.resume(rules, since_loaded=since_loaded, answered=answered)
            return None
        if name == p.RESET_RULES:
            self.responder.reset()
            return None
        if name == p.TARGETS:
            self.forwarding.set_targets(args[0])
            return None
        if name == p.PAUSE:
            self.forwarding.set_paused(args[0], args[1])
            return None
        if name == p.FORWARD_AGAIN:
            return self.forwarding.forward_again(args[0])
        if name == p.PING:  # answered once every receiver's loop has turned
            stuck = [slot for slot, r in self.receivers.items() if not r.turns(_LOOP_TURN_S)]
            if stuck:
                raise RuntimeError(f"{p.STUCK}: a receiver's event loop is stuck")
            return None
        if name == p.CLOSE:
            return None
        raise ValueError(f"unknown command {name!r}")

    def _guards(self, settings: GuardSettings | None, current: Guards | None) -> Guards | None:
        if settings is None:
            return None
        if current is not None and current.settings == settings:
            return current  # new signature settings only: keep the rate limiter's buckets
        return Guards(replace(settings), lambda: self.signatures)

    def _stop_all(self) -> None:
        for receiver in list(self.receivers.values()):
            receiver.stop()  # in-flight requests finish and commit (bounded)
        self.receivers.clear()
        self.forwarding.stop()
        self.store.close()


class _Outbox:
    """Messages to the parent, sent by one thread so that no caller (the store's writer above
    all) ever waits on the pipe. Commit notices waiting together are sent as one."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._queue: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="hookscope-pipe", daemon=True)
        self._thread.start()

    def put(self, message: tuple[Any, ...]) -> None:
        self._queue.put(message)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            message = self._queue.get()
            if message is None:
                return
            batch = [message]
            while True:
                try:
                    following = self._queue.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(following)
            try:
                for item in _coalesce(batch):
                    self.conn.send(item)
            except OSError:
                return  # the parent is gone


def _coalesce(batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Only the newest commit notice of a run matters: the parent reads every row up to it."""
    out: list[tuple[Any, ...]] = []
    added: tuple[Any, ...] | None = None
    for message in batch:
        if message[0] == p.ADDED:
            added = message
        else:
            if added is not None:
                out.append(added)
                added = None
            out.append(message)
    if added is not None:
        out.append(added)
    return out


class _PipeLog(logging.Handler):
    """Log records go to the parent, which logs them as its own and can show them."""

    def __init__(self, outbox: _Outbox) -> None:
        super().__init__(logging.INFO)
        self.outbox = outbox

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.outbox.put((p.LOG, record.name, record.levelno, record.getMessage()))
        except Exception:
            self.handleError(record)


def _exit_quietly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _die_with_parent() -> None:
    """On Linux, SIGTERM when the process that started us ends, however it ends: a backstop
    for the pipe's EOF (which is what normally stops us)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
