"""The forwarder: the outbox's delivery worker, on its own thread and asyncio loop.

Off the receiver's path: receiving never waits for a delivery, and a slow or dead handler never
slows receiving. Its work:

- intake: after each group commit the store's feed wakes it; it turns every capture stored since
  a target last looked into a pending delivery (store/outbox.py). The captures table is the
  durable record of what is owed, so a kill -9 between acknowledging a capture and queueing its
  delivery loses nothing: the next start's intake finds it.
- lanes: one per target, delivering in arrival order (one at a time) unless the target allows
  `parallel` deliveries. Each attempt's row is committed before its request goes out, and
  completed when its answer is in; the retry policy decides the wait before the next attempt.
- pass-through records: the receiver's pass-through answers are recorded here too.

    forwarder = Forwarder(store, targets)
    forwarder.start()           # before the receiver: pending deliveries resume
    receiver = Receiver(store, forward=forwarder.pass_through)
    ...
    forwarder.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from random import Random
from typing import Any

from hookscope.core.errors import HookscopeError
from hookscope.core.events import CapturesAdded, Event
from hookscope.core.forward.client import Pool, Sent, deliver, new_client
from hookscope.core.forward.passthrough import PassThrough
from hookscope.core.forward.recorder import LINGER_MAX, LINGER_S, Recorder
from hookscope.core.forward.request import build_request
from hookscope.core.forward.target import ForwardTarget, Mode
from hookscope.core.model import Capture, Header
from hookscope.core.retry.answers import AttemptAnswer
from hookscope.core.retry.policy import schedule
from hookscope.core.retry.semantics import Outcome, judge
from hookscope.core.store import Store, outbox
from hookscope.core.store.outbox import DeliveryRow, TargetCounts

__all__ = ["REDELIVER", "AttemptEvent", "Forwarder"]

REDELIVER = "redeliver"  # the mode recorded for a delivery made again on request
_AHEAD = 32  # at most this many deliveries of a lane start their attempts in one commit
_DELETED = "the capture was deleted"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AttemptEvent:
    """An attempt just answered (or failed). `state` is the delivery's after it; `next_in_s`
    the wait before the next attempt when there is one."""

    target: str
    capture_id: int
    delivery_id: int
    n: int
    sent: Sent
    state: str
    next_in_s: float | None = None


Listener = Callable[[AttemptEvent], None]


@dataclass
class _Lane:
    target: ForwardTarget
    client: Pool
    queue: deque[DeliveryRow] = field(default_factory=deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    busy: int = 0
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class Forwarder:
    """`intake=False` delivers only what `enqueue` asks for (a redelivery on request);
    `resume=False` leaves deliveries that earlier runs left pending alone."""

    def __init__(
        self,
        store: Store,
        targets: Iterable[ForwardTarget],
        *,
        intake: bool = True,
        resume: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.targets = {t.name: t for t in targets}
        self.intake_enabled = intake
        self.resume = resume
        self._clock = clock
        self.paused = {t.name for t in self.targets.values() if t.paused}
        self.pass_through = PassThrough(self)
        self._listeners: list[Listener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready: Future[None] = Future()
        self._stopped: asyncio.Event | None = None
        self._intake_wake: asyncio.Event | None = None
        self._recorder: Recorder | None = None
        self._lanes: dict[str, _Lane] = {}
        self._unsubscribe: Callable[[], None] | None = None
        self._pass_records: deque[tuple[int, ForwardTarget, Sent]] = deque()
        self._pass_loop: asyncio.AbstractEventLoop | None = None  # where a flush is timed

    # -- control (any thread) -------------------------------------------------------------

    def start(self) -> None:
        """Register the targets and repair what a crash left (attempts in flight), then start
        delivering: first what is pending, then what arrived since each target last looked."""
        names = list(self.targets)

        def setup(db: Any) -> None:
            db.execute("BEGIN")
            outbox.register_targets(db, names)
            outbox.interrupt_unfinished(db)
            db.execute("COMMIT")

        self.store.write(setup)
        self._thread = threading.Thread(target=self._main, name="hookscope-forward", daemon=True)
        self._thread.start()
        self._ready.result()
        if self.intake_enabled:
            self._unsubscribe = self.store.feed.subscribe(self._on_event)

    def stop(self) -> None:
        """Stop delivering: an attempt in flight is cancelled and recorded as interrupted (its
        delivery stays pending for the next start); queued records are committed."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        loop, stopped, thread = self._loop, self._stopped, self._thread
        if loop is not None and stopped is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(stopped.set)
            thread.join()
        self._thread = None

    def subscribe(self, listener: Listener) -> None:
        """`listener(event)` after every attempt, on the forwarder's thread: return quickly."""
        self._listeners = [*self._listeners, listener]

    def pause(self, name: str) -> None:
        """Hold a target's deliveries (a pass-through target queues instead meanwhile)."""
        self._set_paused(name, True)

    def resume_target(self, name: str) -> None:
        self._set_paused(name, False)

    def _set_paused(self, name: str, paused: bool) -> None:
        if name not in self.targets:
            raise HookscopeError(f"no forward target named {name!r}")
        if paused:
            self.paused.add(name)
        else:
            self.paused.discard(name)
        self._call(self._wake_lane, name)

    def enqueue(self, capture_ids: Iterable[int], target: str) -> int:
        """Deliver stored captures to a target again (each a new delivery, recorded as such);
        returns how many were queued. Blocks until they are durable."""
        if target not in self.targets:
            raise HookscopeError(f"no forward target named {target!r}")
        ids = list(capture_ids)
        loop = self._loop
        assert loop is not None, "start the forwarder first"
        made: int = asyncio.run_coroutine_threadsafe(self._enqueue(ids, target), loop).result()
        return made

    def counts(self) -> dict[str, TargetCounts]:
        """Per target: pending, delivered, failed, failing (from the store: any thread)."""
        return outbox.counts(self.store.reader(), self.targets)

    def idle(self) -> bool:
        """Nothing queued or in flight in any lane (waits for a retry count as queued)."""
        return all(not lane.queue and not lane.busy for lane in self._lanes.values())

    def wait_idle(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.idle():
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def record_pass_through(self, capture: Capture, target: ForwardTarget, sent: Sent) -> None:
        """The receiver answered `capture` with `target`'s answer: record that attempt (called
        on the receiver's loop once the capture is committed). Records linger in a list (as
        the recorder's answers do) and go to the store's writer in one write, straight from
        the receiver's thread: neither a commit nor a wake-up of the forwarder's thread per
        request (each costs the receiver the GIL at every answer). What a stopped receiver
        leaves is written when the forwarder stops."""
        if capture.id is None:
            return
        records = self._pass_records
        records.append((capture.id, target, sent))
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or len(records) >= LINGER_MAX:
            self._flush_pass_records()
        elif self._pass_loop is not loop:
            # (A timer on the loop of a receiver that has since stopped never fires: the
            # restarted receiver's loop gets its own.)
            self._pass_loop = loop
            loop.call_later(LINGER_S, self._flush_pass_records)
        state = outbox.DELIVERED if sent.ok else outbox.FAILED
        if self._listeners:
            self._notify(AttemptEvent(target.name, capture.id, 0, 1, sent, state))

    def _flush_pass_records(self) -> Future[None] | None:
        """Any thread: the records so far in one write, queued behind their captures' commit."""
        self._pass_loop = None
        records = []
        while self._pass_records:
            records.append(self._pass_records.popleft())
        if not records:
            return None
        done: Future[None] = self.store.write_soon(partial(_record_passes, records=records))
        done.add_done_callback(_log_record_failure)
        return done

    # -- the thread -----------------------------------------------------------------------

    def _call(self, fn: Callable[..., Any], *args: Any) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed in between: nothing to do
                loop.call_soon_threadsafe(fn, *args)

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(loop))
        except BaseException as exc:
            if not self._ready.done():
                self._ready.set_exception(exc)
            else:
                log.exception("the forwarder stopped")
        finally:
            loop.close()

    async def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        self._stopped = asyncio.Event()
        self._intake_wake = asyncio.Event()
        recorder = self._recorder = Recorder(self.store, loop)
        for target in self.targets.values():
            lane = _Lane(target, new_client(parallel=target.parallel))
            self._lanes[target.name] = lane
        if self.resume:
            db = self.store.reader()
            for name, lane in self._lanes.items():
                lane.queue.extend(outbox.pending(db, name))
        self._loop = loop
        intake_task = loop.create_task(self._intake_loop()) if self.intake_enabled else None
        for lane in self._lanes.values():
            lane.tasks = [
                loop.create_task(self._run_lane(lane)) for _ in range(lane.target.parallel)
            ]
        self._ready.set_result(None)
        try:
            await self._stopped.wait()
        finally:
            tasks = [t for lane in self._lanes.values() for t in lane.tasks]
            if intake_task is not None:
                tasks.append(intake_task)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            passes = self._flush_pass_records()
            if passes is not None:
                with contextlib.suppress(Exception):  # logged by its callback
                    await asyncio.wrap_future(passes)
            await recorder.drain()
            for lane in self._lanes.values():
                await lane.client.aclose()

    def _on_event(self, event: Event) -> None:
        # The writer thread, right after a commit: only a wake-up, never work.
        if isinstance(event, CapturesAdded) and self._intake_wake is not None:
            self._call(self._intake_wake.set)

    def _record_nowait(self, run: Any) -> None:
        assert self._recorder is not None
        self._recorder.write_nowait(run)

    def _wake_lane(self, name: str) -> None:
        lane = self._lanes.get(name)
        if lane is not None:
            lane.wake.set()

    def _notify(self, event: AttemptEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not stop deliveries
                log.exception("a forwarding listener failed")

    async def _intake_loop(self) -> None:
        assert self._intake_wake is not None
        assert self._recorder is not None
        specs = [(t.name, Mode.QUEUE.value, _wants(t)) for t in self.targets.values()]
        while True:
            now = round(self._clock() * 1_000_000)
            made: list[DeliveryRow] = await self._recorder.write(
                partial(outbox.intake, targets=specs, now_us=now)
            )
            self._add(made)
            await self._intake_wake.wait()
            self._intake_wake.clear()

    async def _enqueue(self, ids: list[int], target: str) -> int:
        assert self._recorder is not None
        now = round(self._clock() * 1_000_000)
        made: list[DeliveryRow] = await self._recorder.write(
            lambda db: outbox.enqueue(db, ids, target, REDELIVER, now)
        )
        self._add(made)
        return len(made)

    def _add(self, deliveries: list[DeliveryRow]) -> None:
        for delivery in deliveries:
            lane = self._lanes[delivery.target]
            lane.queue.append(delivery)
            lane.wake.set()

    async def _run_lane(self, lane: _Lane) -> None:
        name = lane.target.name
        while True:
            if name in self.paused or not lane.queue:
                lane.wake.clear()
                await lane.wake.wait()
                continue
            batch = self._take(lane)
            lane.busy += 1
            try:
                if len(batch) == 1:
                    await self._deliver(lane, batch[0])
                else:
                    await self._deliver_batch(lane, batch)
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug in one delivery must not end the lane
                log.exception("deliveries %s to %s failed", [d.id for d in batch], name)
            finally:
                lane.busy -= 1

    def _take(self, lane: _Lane) -> list[DeliveryRow]:
        """The next deliveries for one task of the lane: those due now, up to a batch whose
        attempts start in one commit (a lane's share of the queue, so that parallel tasks all
        get work). A re-signed request is signed when its attempt starts, so it starts alone:
        a stale timestamp must not wait behind a batch."""
        queue = lane.queue
        target = lane.target
        limit = 1 if target.resign is not None else min(_AHEAD, len(queue) // target.parallel)
        batch = [queue.popleft()]
        now_us = self._clock() * 1_000_000
        while len(batch) < limit and queue and queue[0].next_us <= now_us:
            batch.append(queue.popleft())
        if batch[0].next_us > now_us:  # a retry's wait: it goes alone, the rest stay queued
            queue.extendleft(reversed(batch[1:]))
            del batch[1:]
        return batch

    async def _deliver_batch(self, lane: _Lane, batch: list[DeliveryRow]) -> None:
        """Deliver `batch` in order, its first attempts' rows committed together before the
        first request goes out: one commit per batch instead of one per delivery. What did not
        go out (a retry holds the lane, a pause, a stop) is unstarted and queued again first."""
        target = lane.target
        assert self._recorder is not None
        recorder = self._recorder
        captures = {c.id: c for c in self.store.iter_captures(d.capture_id for d in batch)}
        starts: list[outbox.Start] = []
        ready: list[tuple[DeliveryRow, Capture, str, tuple[Header, ...]]] = []
        started_us = round(self._clock() * 1_000_000)
        for delivery in batch:
            capture = captures.get(delivery.capture_id)
            if capture is None:
                self._finish(delivery, delivery.attempts, outbox.FAILED, None, _DELETED)
                continue
            try:
                url, headers = build_request(capture, target, clock=self._clock)
            except HookscopeError as exc:
                self._finish(
                    delivery, delivery.attempts, outbox.FAILED, None, f"cannot forward: {exc}"
                )
                continue
            starts.append(
                (delivery, delivery.attempts + 1, started_us, capture.method, url, headers)
            )
            ready.append((delivery, capture, url, headers))
        if not ready:
            return
        starting = recorder.write(partial(outbox.start_attempts, starts=starts))
        try:
            ids: list[int] = await asyncio.shield(starting)
        except asyncio.CancelledError:  # a stop: none went out, unstart them once committed
            deliveries = [delivery for delivery, *_ in ready]
            starting.add_done_callback(partial(_unstart, recorder, deliveries))
            raise
        waiting = deque(zip(ready, ids, strict=True))

        def give_back() -> None:
            if waiting:
                rows = [(attempt_id, item[0]) for item, attempt_id in waiting]
                recorder.write_nowait(partial(outbox.unstart_attempts, started=rows))
                lane.queue.extendleft(reversed([delivery for _, delivery in rows]))
                waiting.clear()
                lane.wake.set()

        try:
            while waiting:
                if target.name in self.paused:
                    break
                (delivery, capture, url, headers), attempt_id = waiting.popleft()
                await self._deliver(
                    lane, delivery, started=(attempt_id, capture, url, headers), hold=give_back
                )
        finally:
            give_back()

    async def _deliver(
        self,
        lane: _Lane,
        delivery: DeliveryRow,
        *,
        started: tuple[int, Capture, str, tuple[Header, ...]] | None = None,
        hold: Callable[[], None] | None = None,
    ) -> None:
        """Attempt `delivery` until it is delivered or failed. `started`: its first attempt's
        row is committed already; `hold()` is called before waiting for a retry (the lane's
        deliveries started ahead must not wait with it)."""
        target = lane.target
        assert self._recorder is not None
        recorder = self._recorder
        policy = target.policy
        waits: list[float] | None = None  # made on the first retry: most deliveries need none
        attempts = delivery.attempts
        next_us = delivery.next_us
        while True:
            n = attempts + 1
            if started is not None:
                attempt_id, capture, url, headers = started
                started = None
            else:
                await self._until(lane, next_us)
                found = self.store.get(delivery.capture_id)
                if found is None:
                    self._finish(delivery, attempts, outbox.FAILED, None, _DELETED)
                    return
                capture = found
                try:
                    url, headers = build_request(capture, target, clock=self._clock)
                except HookscopeError as exc:
                    self._finish(delivery, attempts, outbox.FAILED, None, f"cannot forward: {exc}")
                    return
                attempt_id = await recorder.write(
                    partial(
                        outbox.start_attempt,
                        delivery=delivery,
                        n=n,
                        started_us=round(self._clock() * 1_000_000),
                        method=capture.method,
                        url=url,
                        headers=headers,
                    )
                )
            try:
                sent = await deliver(
                    lane.client, capture.method, url, headers, capture.body,
                    timeout_s=target.timeout_s,
                )  # fmt: skip
            except asyncio.CancelledError:
                recorder.write_nowait(partial(outbox.interrupt_attempt, attempt_id=attempt_id))
                raise
            attempts = n
            verdict = judge(policy.semantics, _answer_of(sent))
            wait: float | None = None
            if verdict.outcome is Outcome.SUCCESS:
                state = outbox.DELIVERED
            elif verdict.stop is not None or attempts >= policy.attempts:
                state = outbox.FAILED
            else:
                state = outbox.PENDING
                wait = verdict.retry_after_s
                if wait is None:
                    if waits is None:  # seeded by the delivery: the same waits after a restart
                        waits = schedule(policy, Random(delivery.id))
                    wait = waits[attempts - 1]
                next_us = round((self._clock() + wait) * 1_000_000)

            def finish(db: Any, a: int = attempt_id, s: Sent = sent, st: str = state,
                       k: int = attempts, nx: int = next_us) -> None:  # fmt: skip
                outbox.finish_attempt(
                    db, a, started_us=s.started_us, duration_ms=s.duration_ms, status=s.status,
                    error=s.error, response_headers=s.response_headers,
                    response_body=s.response_body, cap=target.response_cap,
                )  # fmt: skip
                outbox.update_delivery(
                    db, delivery.id, state=st, attempts=k, next_us=nx if st == outbox.PENDING
                    else 0, last_status=s.status, last_error=s.error,
                )  # fmt: skip

            # Not awaited: the next attempt's start is, and commits after this (one queue).
            recorder.write_nowait(finish)
            self._notify(
                AttemptEvent(target.name, delivery.capture_id, delivery.id, n, sent, state, wait)
            )
            if state != outbox.PENDING:
                return
            if hold is not None:
                hold()
                hold = None

    def _finish(
        self, delivery: DeliveryRow, attempts: int, state: str, status: int | None, error: str
    ) -> None:
        assert self._recorder is not None
        self._recorder.write_nowait(
            lambda db: outbox.update_delivery(
                db,
                delivery.id,
                state=state,
                attempts=attempts,
                next_us=0,
                last_status=status,
                last_error=error,
            )
        )

    async def _until(self, lane: _Lane, next_us: int) -> None:
        """Wait for the attempt's time, and while the target is paused."""
        name = lane.target.name
        while True:
            if name in self.paused:
                lane.wake.clear()
                await lane.wake.wait()
                continue
            delay = next_us / 1_000_000 - self._clock()
            if delay <= 0:
                return
            lane.wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await lane.wake.wait()


def _unstart(
    recorder: Recorder, deliveries: list[DeliveryRow], started: asyncio.Future[list[int]]
) -> None:
    if not started.cancelled() and started.exception() is None:
        rows = list(zip(started.result(), deliveries, strict=True))
        recorder.write_nowait(partial(outbox.unstart_attempts, started=rows))


def _record_passes(db: Any, records: list[tuple[int, ForwardTarget, Sent]]) -> None:
    db.execute("BEGIN")
    for capture_id, target, sent in records:
        outbox.record_complete(
            db,
            capture_id,
            target.name,
            Mode.PASS_THROUGH.value,
            started_us=sent.started_us,
            method=sent.method,
            url=sent.url,
            headers=sent.headers,
            duration_ms=sent.duration_ms,
            status=sent.status,
            error=sent.error,
            response_headers=sent.response_headers,
            response_body=sent.response_body,
            cap=target.response_cap,
        )
    db.execute("COMMIT")


def _log_record_failure(future: Future[None]) -> None:
    if (exc := future.exception()) is not None:
        log.error("could not record a pass-through attempt: %s", exc)


def _wants(target: ForwardTarget) -> Callable[[str, str | None], bool]:
    rule = target.rule

    def wants(request_target: str, answered_by: str | None) -> bool:
        # A pass-through target that answered the capture itself has delivered it already.
        return answered_by != rule and target.matches(request_target)

    return wants


def _answer_of(sent: Sent) -> AttemptAnswer:
    elapsed_s = sent.duration_ms / 1000
    if sent.timed_out:
        return AttemptAnswer.timeout(elapsed_s)
    if sent.status is None:
        return AttemptAnswer(status=None, elapsed_s=elapsed_s)
    return AttemptAnswer(
        sent.status, sent.response_headers, elapsed_s=elapsed_s, received_at=datetime.now(UTC)
    )
