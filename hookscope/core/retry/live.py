"""A live run: a retry policy played for real against a URL, with time compressed.

Each attempt is a real HTTP request (`sender.send`), signed afresh by the signer if there is one,
and its real answer (status and headers, a timeout, or no connection) goes into the same
`Delivery` state machine the simulator uses. So the waits, `Retry-After`, 410 and abort headers
behave exactly as in `simulate`; only the sleeping is compressed: with `time_scale=1/3600`, an
hour of schedule passes in a second.

Two clocks, kept apart:
- schedule time (`scheduled_at_s`, `delay_s`, `next_wait_s`, the summary's `*_at_s`): seconds of
  the provider's schedule since the first attempt, counted as the simulator counts them (each wait
  starts when the previous attempt has failed; a timed-out attempt took the policy's timeout).
  Against a receiver that fails the same way, they equal `simulate`'s `at_s`.
- real time (`sent_at` UNIX seconds, `sent_after_s` since the run started): when it happened here.

The per-attempt HTTP timeout is the policy's timeout scaled like the waits, but never less than
`timeout_floor_s` (default 1 s: an answer over a real network needs that long, whatever the
compression) and never more than the policy's own timeout. A receiver has to hold an answer
longer than that to make an attempt time out.

Pure asyncio, no threads: it runs on the app's qasync loop as on a plain one.

    run = LiveRun(PRESETS["svix"], OutgoingRequest("POST", url, headers, body),
                  signer=SchemeSigner("svix", secret))
    summary = await run.run(on_attempt=plot.add)  # or: async for a in run.attempts(): ...
    run.cancel()  # from any thread: no attempt starts after this
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random

import httpx

from hookscope.core.errors import HookscopeError
from hookscope.core.retry.answers import AttemptAnswer
from hookscope.core.retry.delivery import Delivery
from hookscope.core.retry.policy import Policy
from hookscope.core.retry.semantics import Outcome, StopReason, Verdict
from hookscope.core.send.sender import OutgoingRequest, SendResult, Signer, send

__all__ = [
    "DEFAULT_TIMEOUT_FLOOR_S",
    "DEFAULT_TIME_SCALE",
    "LiveAttempt",
    "LiveRun",
    "LiveSummary",
    "attempt_timeout",
]

DEFAULT_TIME_SCALE = 1 / 3600  # one hour of schedule per second
DEFAULT_TIMEOUT_FLOOR_S = 1.0


@dataclass(frozen=True, slots=True)
class LiveAttempt:
    """One attempt as it happened. `next_wait_s` is the schedule wait before the next attempt,
    None when this one ended the delivery (then `verdict.outcome` or `stop` says how)."""

    n: int
    scheduled_at_s: float
    delay_s: float
    sent_at: float
    sent_after_s: float
    result: SendResult  # the request as sent (with its signature) and the answer
    verdict: Verdict
    next_wait_s: float | None
    stop: StopReason | None
    # What the attempt took in schedule time, as the simulator's `Attempt.elapsed_s`: an answer
    # is instant, a timeout takes the policy's timeout (whatever the compressed one was).
    schedule_elapsed_s: float = 0.0

    @property
    def outcome(self) -> Outcome:
        return self.verdict.outcome

    @property
    def status(self) -> int | None:
        return self.result.status

    @property
    def error(self) -> str | None:
        return self.result.error

    @property
    def elapsed_ms(self) -> float:
        return self.result.elapsed_ms

    def describe(self) -> dict[str, object]:
        return {
            "n": self.n,
            "scheduled_at_s": round(self.scheduled_at_s, 6),
            "delay_s": round(self.delay_s, 6),
            "sent_at": self.sent_at,
            "sent_after_s": round(self.sent_after_s, 6),
            "outcome": self.outcome.value,
            "status": self.status,
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "next_wait_s": self.next_wait_s,
            "stop_reason": None if self.stop is None else self.stop.value,
        }


@dataclass(frozen=True, slots=True)
class LiveSummary:
    """How the run ended, in schedule seconds: delivered, gave up (`stop` says why), or was
    cancelled first (neither time set). `duration_s` is the real time it took."""

    attempts: tuple[LiveAttempt, ...]
    delivered_at_s: float | None
    gave_up_at_s: float | None
    stop: StopReason | None
    cancelled: bool
    duration_s: float

    @property
    def delivered(self) -> bool:
        return self.delivered_at_s is not None

    def describe(self) -> dict[str, object]:
        return {
            "attempts": [a.describe() for a in self.attempts],
            "delivered": self.delivered,
            "delivered_at_s": self.delivered_at_s,
            "gave_up_at_s": self.gave_up_at_s,
            "stop_reason": None if self.stop is None else self.stop.value,
            "cancelled": self.cancelled,
            "duration_s": round(self.duration_s, 6),
        }


def attempt_timeout(policy: Policy, time_scale: float, floor_s: float) -> float:
    """The real HTTP timeout of each attempt (see the module's notes)."""
    own = policy.semantics.timeout_s
    return min(own, max(floor_s, own * time_scale))


class LiveRun:
    """One event delivered by `policy` to `request.url`. Runs once."""

    def __init__(
        self,
        policy: Policy,
        request: OutgoingRequest,
        *,
        signer: Signer | None = None,
        time_scale: float = DEFAULT_TIME_SCALE,
        timeout_floor_s: float = DEFAULT_TIMEOUT_FLOOR_S,
        rng: Random | None = None,
        verify_tls: bool = True,
    ) -> None:
        if not (math.isfinite(time_scale) and time_scale > 0):
            raise HookscopeError(f"the time scale must be a number > 0, got {time_scale:g}")
        if not (math.isfinite(timeout_floor_s) and timeout_floor_s > 0):
            raise HookscopeError(f"the timeout floor must be seconds > 0, got {timeout_floor_s:g}")
        self.policy = policy
        self.request = request
        self.signer = signer
        self.time_scale = time_scale
        self.timeout_s = attempt_timeout(policy, time_scale, timeout_floor_s)
        self.verify_tls = verify_tls
        self.summary: LiveSummary | None = None
        self._rng = rng or Random()
        self._started = False
        self._cancel_requested = False
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def cancel(self) -> None:
        """Stop the run: a wait ends at once; an attempt in flight finishes first (within its
        timeout) and is reported. Safe from any thread. To drop an attempt in flight too,
        cancel the task that runs it (its summary then says `cancelled`)."""
        self._cancel_requested = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def run(self, on_attempt: Callable[[LiveAttempt], None] | None = None) -> LiveSummary:
        """Run to the end, calling `on_attempt` as each attempt's answer arrives."""
        async with contextlib.aclosing(self.attempts()) as attempts:
            async for attempt in attempts:
                if on_attempt is not None:
                    on_attempt(attempt)
        assert self.summary is not None
        return self.summary

    async def attempts(self) -> AsyncGenerator[LiveAttempt, None]:
        """The attempts as they happen; `summary` is set once this ends (however it ends)."""
        if self._started:
            raise RuntimeError("a live run runs once; make a new LiveRun")
        self._started = True
        loop = self._loop = asyncio.get_running_loop()
        started = loop.time()
        delivery = Delivery.start(self.policy, self._rng)
        made: list[LiveAttempt] = []
        at_s = delay_s = 0.0
        finished = False
        try:
            async with httpx.AsyncClient(verify=self.verify_tls) as client:
                while not self._cancel_requested:
                    sent_after_s = loop.time() - started
                    result = await send(
                        self.request, signer=self.signer, timeout_s=self.timeout_s, client=client
                    )
                    decision = delivery.after(_answer_of(result))
                    took_s = self.policy.semantics.timeout_s if result.timed_out else 0.0
                    attempt = LiveAttempt(
                        delivery.attempts_made,
                        at_s,
                        delay_s,
                        result.sent_at,
                        sent_after_s,
                        result,
                        decision.verdict,
                        decision.wait_s,
                        decision.stop,
                        took_s,
                    )
                    made.append(attempt)
                    yield attempt
                    if decision.wait_s is None:
                        finished = True
                        break
                    at_s += took_s + decision.wait_s
                    delay_s = decision.wait_s
                    await self._pause(decision.wait_s * self.time_scale)
        finally:
            self.summary = self._summary(made, finished, loop.time() - started)

    async def _pause(self, seconds: float) -> None:
        """Sleep, unless `cancel` wakes us first."""
        if seconds <= 0 or self._cancel_requested:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    def _summary(self, made: list[LiveAttempt], finished: bool, duration_s: float) -> LiveSummary:
        last = made[-1] if made else None
        if not finished or last is None:
            return LiveSummary(tuple(made), None, None, None, True, duration_s)
        if last.outcome is Outcome.SUCCESS:
            return LiveSummary(tuple(made), last.scheduled_at_s, None, None, False, duration_s)
        gave_up_at = last.scheduled_at_s + last.schedule_elapsed_s
        return LiveSummary(tuple(made), None, gave_up_at, last.stop, False, duration_s)


def _answer_of(result: SendResult) -> AttemptAnswer:
    elapsed_s = result.elapsed_ms / 1000
    if result.timed_out:
        return AttemptAnswer.timeout(elapsed_s)
    if result.status is None:  # refused, reset, or closed without an answer
        return AttemptAnswer(status=None, elapsed_s=elapsed_s)
    return AttemptAnswer(
        result.status,
        result.response_headers,
        elapsed_s=elapsed_s,
        received_at=datetime.now(UTC),  # anchors a Retry-After given as an HTTP date
    )
