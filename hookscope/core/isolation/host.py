"""The parent's side of the receiver process: start it, talk to it, restart it when it dies.

The parent binds every listening socket and keeps it; the child gets a copy. So a port that
is taken is reported at once, and while the child is restarted, senders wait in the kernel's
accept queue instead of being refused. Everything the child was told (rules, forwarding
targets, guards, the sockets) is kept here and told again to the next child.

A child that stops answering (stopped, or stuck holding its GIL) is killed, then restarted as
after a crash; meanwhile nothing waits on it.

Commits the child announces make the parent's store publish the new rows at once
(`Store.catch_up`), so the window learns of them as it learns of any other process's.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import send_handle
from typing import Any

from hookscope.core.child_processes import child_context
from hookscope.core.errors import HookscopeError
from hookscope.core.forward.target import ForwardTarget
from hookscope.core.forward.worker import AttemptEvent
from hookscope.core.guards import GuardSettings
from hookscope.core.isolation import protocol as p
from hookscope.core.isolation.child import main as child_main
from hookscope.core.rules import Rule
from hookscope.core.signature_settings import SignatureSettings
from hookscope.core.store import Store

__all__ = ["ReceiverHost"]

_log = logging.getLogger("hookscope.receiver")
_READY_TIMEOUT_S = 30.0  # a cold start imports aiohttp and opens the store: ~0.5 s
_ASK_TIMEOUT_S = 15.0
_TELL_TIMEOUT_S = 2.0  # a change waits this long for the child (only a booting one is slow)
_BACKOFF_S = (0.05, 0.5, 1.0, 2.0, 5.0, 10.0)
_STEADY_S = 30.0  # up this long, and the next crash starts the backoff over
_SERVED_BACKOFF_S = 1.0  # the longest wait before restarting a child that had started
_PING_EVERY_S = 1.0  # a ready child is asked this often whether it still reads its pipe
_QUIET_S = 2.5  # not heard from this long: callers stop waiting on it (a change is still sent)
_HUNG_S = 5.0  # not heard from this long: hung (stopped, or stuck holding its GIL), killed

Note = Callable[[str], None]


class _RestartingError(HookscopeError):
    """A command sent to a child that has just died: the next child is told it anyway."""


@dataclass
class _Slot:
    sock: socket.socket
    host: str
    max_body: int
    guards: GuardSettings | None = None


class _Generation:
    """One child process and its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.ready: Future[int] = Future()
        self.started = time.monotonic()
        self.heard = self.started  # the last message from the child
        self.ended = threading.Event()  # its pipe closed

    def answering(self) -> bool:
        """Booting, or heard from lately: worth waiting on."""
        return not self.ready.done() or time.monotonic() - self.heard < _QUIET_S


class ReceiverHost:
    def __init__(self, store: Store, options: p.ChildOptions | None = None) -> None:
        self.store = store
        self.options = options or p.ChildOptions(db_path=str(store.path))
        self.restarts = 0
        self._slots: dict[int, _Slot] = {}
        self._slot_ids = itertools.count(1)
        self._rules: tuple[Rule, ...] = ()
        self._rules_loaded = time.monotonic()  # when the rules' counts and windows started
        self._targets: tuple[ForwardTarget, ...] = ()
        self._paused: set[str] = set()
        self._signatures: SignatureSettings | None = None
        self._answered: dict[str, int] = {}
        self._notes: list[Note] = []
        self._attempt_listeners: list[Callable[[AttemptEvent], None]] = []
        self._asks = itertools.count(1)
        self._pending: dict[int, Future[Any]] = {}
        self._send_lock = threading.Lock()
        self._lock = threading.RLock()  # the generation, the state above, closing
        self._generation: _Generation | None = None
        self._closing = False
        self._crashes = 0
        self._booting = False  # the first child is being started (see start)
        self._booted = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the child, on a thread of its own: starting the forkserver and waiting for it
        to fork takes the caller ~0.3 s, time the window spends being built instead. Returns
        at once; what is asked meanwhile is kept and told to the child once it is there."""
        with self._lock:
            if self._generation is not None or self._booting or self._closing:
                return
            self._booting = True
        threading.Thread(
            target=self._restart, args=(0.0, True), name="hookscope-receiver-boot", daemon=True
        ).start()

    @property
    def pid(self) -> int | None:
        generation = self._generation
        return None if generation is None else generation.process.pid

    def wait_ready(self, timeout: float = _READY_TIMEOUT_S) -> int:
        """Block until the current child reads commands; its pid."""
        self.start()
        self._booted.wait(timeout)
        generation = self._generation
        if generation is None:
            raise HookscopeError("the receiver process is stopped")
        return generation.ready.result(timeout)

    def close(self) -> None:
        """Stop the child on the single shutdown path: it stops accepting, lets in-flight
        requests finish and commit, and exits; then the sockets are let go."""
        with self._lock:
            self._closing = True
            generation = self._generation
        if generation is not None:
            if generation.answering():
                with contextlib.suppress(HookscopeError):
                    self._ask(p.CLOSE, timeout=10.0)
                generation.process.join(timeout=10.0)
            if generation.process.is_alive():
                generation.process.kill()
                generation.process.join(timeout=5.0)
            generation.conn.close()
        with self._lock:
            for slot in self._slots.values():
                slot.sock.close()
            self._slots.clear()
            self._generation = None

    def subscribe_notes(self, note: Note) -> None:
        """`note(text)` when the child stops unexpectedly, restarts, or logs a warning; on a
        background thread."""
        self._notes.append(note)

    def subscribe_attempts(self, listener: Callable[[AttemptEvent], None]) -> None:
        self._attempt_listeners.append(listener)

    # -- what the session asks ---------------------------------------------------------------

    def open_slot(self, host: str, sock: socket.socket, max_body: int) -> int:
        """Serve `sock` (bound here) in the child; returns the slot. Does not wait for the
        child: until it serves, connections wait in the socket's queue."""
        slot_id = next(self._slot_ids)
        slot = _Slot(sock, host, max_body)
        # Kept and told under one hold of the lock: a child being started or restarted
        # meanwhile is told it by its boot, or here, never both.
        with self._lock:
            self._slots[slot_id] = slot
            if self._generation is not None:
                self._ask_soon(p.START, slot_id, host, max_body, None, None, handle=sock.fileno())
        self.start()
        return slot_id

    def close_slot(self, slot_id: int) -> None:
        """Stop serving; once the child has let go, so does the parent (the port is free)."""
        with self._lock:
            slot = self._slots.pop(slot_id, None)
        if slot is None:
            return
        stopped = self._ask_soon(p.STOP, slot_id)
        generation = self._generation
        if generation is not None and generation.answering():  # a hung one stops it later
            with contextlib.suppress(Exception):  # a dead child holds nothing
                stopped.result(_ASK_TIMEOUT_S)
        slot.sock.close()

    def serving(self, slot_id: int) -> bool:
        return slot_id in self._slots

    def set_guards(
        self,
        slot_id: int,
        settings: GuardSettings | None,
        signatures: SignatureSettings | None = None,
    ) -> None:
        """Guard a slot (None: unguard it), checking required signatures against `signatures`
        (None: the ones told last); one message to the child."""
        with self._lock:
            slot = self._slots.get(slot_id)
            if slot is None:
                return
            slot.guards = settings
            if signatures is not None:
                self._signatures = signatures
            signatures = self._signatures
        self._tell(p.GUARDS, slot_id, settings, signatures)

    def set_signatures(self, signatures: SignatureSettings) -> None:
        """The signature settings that guards requiring signatures check against."""
        with self._lock:
            self._signatures = signatures
            slots = [(i, s.guards) for i, s in self._slots.items() if s.guards is not None]
        for slot_id, settings in slots:
            self._tell(p.GUARDS, slot_id, settings, signatures)

    def set_rules(self, rules: Iterable[Rule], *, wait: bool = True) -> None:
        """Answer by `rules`; `wait=False` at start, when the child is still booting (it reads
        its commands in order, so they are in place before it serves)."""
        with self._lock:
            self._rules = tuple(rules)
            self._rules_loaded = time.monotonic()
            self._answered = {}
        if wait:
            self._tell(p.RULES, self._rules, 0.0, {})
        else:
            self._ask_soon(p.RULES, self._rules, 0.0, {})

    def reset_rules(self) -> None:
        with self._lock:
            self._rules_loaded = time.monotonic()
            self._answered = {}
        self._tell(p.RESET_RULES)

    def answered(self) -> dict[str, int]:
        """How many requests each rule answered, as of the child's last commit notice."""
        return dict(self._answered)

    def set_targets(self, targets: Iterable[ForwardTarget]) -> None:
        with self._lock:
            self._targets = tuple(targets)
            self._paused = {t.name for t in self._targets if t.paused}
        self._tell(p.TARGETS, self._targets)

    @property
    def targets(self) -> tuple[ForwardTarget, ...]:
        return self._targets

    def paused(self, name: str) -> bool:
        return name in self._paused

    def set_paused(self, name: str, paused: bool) -> None:
        with self._lock:
            (self._paused.add if paused else self._paused.discard)(name)
        self._tell(p.PAUSE, name, paused)

    def forward_again(self, capture_ids: Iterable[int]) -> int:
        return int(self._ask(p.FORWARD_AGAIN, list(capture_ids), timeout=_ASK_TIMEOUT_S))

    # -- asking --------------------------------------------------------------------------------

    def _tell(self, name: str, *args: Any) -> None:
        """Send a change and wait (briefly) until the child has made it, so that a request
        sent next meets it, as it would in process. A failure is noted, not raised: the
        change is kept here and told to the next child."""
        told = self._ask_soon(name, *args)
        generation = self._generation
        if generation is not None and generation.answering():  # not a hung one
            with contextlib.suppress(Exception):
                told.result(_TELL_TIMEOUT_S)

    def _ask(self, name: str, *args: Any, timeout: float) -> Any:
        try:
            return self._ask_soon(name, *args).result(timeout)
        except FutureTimeout:
            raise HookscopeError("the receiver process did not answer in time") from None

    def _ask_soon(
        self, name: str, *args: Any, handle: int | None = None, blocking: bool = True
    ) -> Future[Any]:
        """Send a command; the future holds its answer. A failure nobody waits for is noted
        (a restarted child is told everything again anyway). Not `blocking`: fail at once if
        another thread is sending (it may be stuck on the pipe of a hung child)."""
        future: Future[Any] = Future()
        with self._lock:
            generation = self._generation
            if generation is None and self._booting and not self._closing:
                future.set_result(None)  # kept here; the first child is told it as it starts
                return future
            if generation is None:
                future.set_exception(HookscopeError("the receiver process is not running"))
                return future
            ask = next(self._asks)
            self._pending[ask] = future
        if not self._send_lock.acquire(blocking=blocking):
            self._pending.pop(ask, None)
            future.set_exception(HookscopeError("the pipe is busy"))
            return future
        try:
            generation.conn.send((name, ask, *args))
            if handle is not None:
                send_handle(generation.conn, handle, generation.process.pid or 0)
        except OSError:
            self._pending.pop(ask, None)
            future.set_exception(_RestartingError("the receiver process is restarting"))
        finally:
            self._send_lock.release()
        future.add_done_callback(lambda done: self._unheard(name, done))
        return future

    def _unheard(self, name: str, done: Future[Any]) -> None:
        error = done.exception()
        quiet = name in (p.CLOSE, p.STOP, p.FORWARD_AGAIN, p.PING) or self._closing
        if error is not None and not quiet and not isinstance(error, _RestartingError):
            self._note(f"receiver process: {name} failed: {error}")

    # -- the child's side --------------------------------------------------------------------

    def _spawn(self) -> _Generation:
        context = child_context()
        ours, theirs = context.Pipe(duplex=True)
        process = context.Process(
            target=child_main, args=(theirs, self.options), name="hookscope-receiver", daemon=True
        )
        process.start()
        theirs.close()
        generation = _Generation(process, ours)
        reader = threading.Thread(
            target=self._read, args=(generation,), name="hookscope-receiver-pipe", daemon=True
        )
        reader.start()
        watchdog = threading.Thread(
            target=self._watch, args=(generation,), name="hookscope-receiver-watch", daemon=True
        )
        watchdog.start()
        return generation

    def _watch(self, generation: _Generation) -> None:
        """Kill a child that stops answering: a stopped or stuck one serves nobody (senders
        hang on it) and never exits by itself. Its reader then restarts it, as after a crash."""
        try:
            generation.ready.result(_READY_TIMEOUT_S)
        except FutureTimeout:
            self._hung(generation, f"did not start within {_READY_TIMEOUT_S:g} s")
            return
        except Exception:
            return  # it ended while booting
        since = last = time.monotonic()
        while not generation.ended.wait(_PING_EVERY_S):
            now = time.monotonic()
            if now - last > _PING_EVERY_S + 1.0:
                # This process was starved (its GIL held by other work), so its reader may not
                # have read the answers waiting in the pipe: count afresh, not the child's fault.
                since = now
            last = now
            if now - max(generation.heard, since) > _HUNG_S:
                self._hung(generation, f"has not answered for {_HUNG_S:g} s")
                return
            if generation is self._generation:
                pinged = self._ask_soon(p.PING, blocking=False)
                pinged.add_done_callback(lambda done: self._stuck(generation, done))

    def _stuck(self, generation: _Generation, pinged: Future[Any]) -> None:
        """The child answers, but one of its receivers' loops does not turn: as good as hung."""
        error = pinged.exception()
        if error is not None and p.STUCK in str(error):
            self._hung(generation, "answers, but a receiver of it is stuck")

    def _hung(self, generation: _Generation, why: str) -> None:
        if generation.ended.is_set():
            return
        if not self._closing:
            self._note(f"The receiver process {why}; stopping it.")
        with contextlib.suppress(OSError):
            generation.process.kill()

    def _read(self, generation: _Generation) -> None:
        conn = generation.conn
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            generation.heard = time.monotonic()
            try:
                self._heard(generation, message)
            except Exception as exc:  # a listener's fault must not end the reading
                _log.warning("receiver process: a message could not be handled: %s", exc)
        self._ended(generation)

    def _heard(self, generation: _Generation, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == p.ADDED:
            if message[2] is not None:
                self._answered = message[2]
            self.store.catch_up()
        elif kind == p.REPLY:
            future = self._pending.pop(message[1], None)
            if future is not None:
                if message[2]:
                    future.set_result(message[3])
                else:
                    future.set_exception(p.error_from(message[3]))
        elif kind == p.ATTEMPT:
            for listener in list(self._attempt_listeners):
                listener(message[1])
        elif kind == p.LOG:
            _name, level, text = message[1:]
            logging.getLogger(_name).log(level, "%s", text)
            if level >= logging.WARNING:
                self._note(text)
        elif kind == p.READY:
            generation.ready.set_result(message[1])

    def _ended(self, generation: _Generation) -> None:
        """The pipe closed: the child exited. Fail what waits on it; unless the app is closing,
        start another and tell it everything again."""
        generation.ended.set()
        generation.process.join(timeout=5.0)
        with self._lock:
            current = generation is self._generation
            pending, self._pending = (self._pending, {}) if current else ({}, self._pending)
        for future in pending.values():
            future.set_exception(HookscopeError("the receiver process stopped"))
        if not generation.ready.done():
            generation.ready.set_exception(HookscopeError("the receiver process stopped"))
        if not current or self._closing:
            return
        self.store.catch_up()  # what it committed before it died
        code = generation.process.exitcode
        how = f"exited ({code})"
        if code is not None and code < 0:
            how = f"was killed by signal {-code}"
        if time.monotonic() - generation.started > _STEADY_S:
            self._crashes = 0
        wait = _BACKOFF_S[min(self._crashes, len(_BACKOFF_S) - 1)]
        if generation.ready.done() and generation.ready.exception() is None:
            # It had started and served: whatever killed it (a kill, a crash on some input),
            # senders are waiting in the queue, so come back soon. The long waits are for a
            # child that cannot even start.
            wait = min(wait, _SERVED_BACKOFF_S)
        self._crashes += 1
        self._note(
            f"The receiver process {how}; restarting it in {wait:g} s. Stored captures are"
            " kept; senders wait or retry meanwhile."
        )
        threading.Thread(
            target=self._restart, args=(wait,), name="hookscope-receiver-restart", daemon=True
        ).start()

    def _restart(self, wait: float, first: bool = False) -> None:
        """Start a child (after `wait`) and tell it everything kept here; `first`: the app's
        first, from `start`."""
        time.sleep(wait)
        try:
            self._boot(first)
        finally:
            if first:
                with self._lock:
                    self._booting = False
                self._booted.set()

    def _boot(self, first: bool) -> None:
        # Under the lock: a change made meanwhile is either in this snapshot or sent after it.
        with self._lock:
            if self._closing:
                return
            self._generation = self._spawn()
            if self._rules:  # where the last child left them: counts, the window clock
                since_loaded = time.monotonic() - self._rules_loaded
                self._ask_soon(p.RULES, self._rules, since_loaded, dict(self._answered))
            if self._targets:
                targets = tuple(replace(t, paused=t.name in self._paused) for t in self._targets)
                self._ask_soon(p.TARGETS, targets)
            answers = []
            for slot_id, slot in self._slots.items():
                # Its guards come with it: the child serves them from its first request.
                start = self._ask_soon(
                    p.START,
                    slot_id,
                    slot.host,
                    slot.max_body,
                    slot.guards,
                    self._signatures if slot.guards is not None else None,
                    handle=slot.sock.fileno(),
                )
                answers.append(start)
        if first:
            return
        try:
            for answer in answers:
                answer.result(_READY_TIMEOUT_S)
        except Exception:
            return  # noted by _unheard; a child that died again is restarted by its reader
        self.restarts += 1
        self._note("The receiver process was restarted; receiving again.")

    def _note(self, text: str) -> None:
        for note in list(self._notes):
            try:
                note(text)
            except Exception as exc:
                _log.warning("a receiver note could not be shown: %s", exc)
