"""Many events through one policy and scenario: the load their attempts put on the receiver.

Events are released together at t = 0 (or at random over `release_over_s`), e.g. a backlog a
sender flushes at once. Without jitter, events that fail together retry together at every step of
the schedule, and when an outage ends they all land in the same second: the thundering herd.
Jitter spreads each wave.

Without a capacity the events are independent, and each runs to its end in turn. With
`capacity_per_s` the receiver answers at most that many attempts per second (the rest get 503),
so the events interact and attempts are played in time order.

Load counts the attempts that reached the receiver; attempts made during an outage are refused
and counted apart, since a receiver that is down carries no load."""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from dataclasses import dataclass, field
from random import Random

from hookscope.core.errors import HookscopeError
from hookscope.core.retry.delivery import Delivery
from hookscope.core.retry.policy import Policy
from hookscope.core.retry.scenario import AnswerKind, Scenario
from hookscope.core.retry.semantics import Verdict, judge
from hookscope.core.retry.stats import LoadSeries, Peak, load_series, peak_of, percentiles

__all__ = ["MAX_EVENTS", "MAX_SIMULATED_ATTEMPTS", "HerdReport", "simulate_herd"]

MAX_EVENTS = 1_000_000
MAX_SIMULATED_ATTEMPTS = 10_000_000  # events x attempts: keeps memory to a few hundred MB


@dataclass(frozen=True, slots=True)
class HerdReport:
    """Times are seconds since the release, kept as C doubles (a million take 8 MB).
    `latencies_s` (delivered events, sorted) feed a histogram; `load()` a load-over-time plot."""

    events: int
    delivered: int
    gave_up: int
    latencies_s: array[float]
    first_attempt_times_s: array[float]  # first attempts that reached the receiver
    retry_times_s: array[float]  # retries that reached the receiver
    refused_times_s: array[float]  # attempts made while the receiver was down
    capacity_per_s: int | None
    release_over_s: float
    peak: Peak = field(init=False)
    retry_peak: Peak = field(init=False)

    def __post_init__(self) -> None:
        per_second = Counter(map(int, self.retry_times_s))
        object.__setattr__(self, "retry_peak", peak_of(per_second))
        per_second.update(map(int, self.first_attempt_times_s))
        object.__setattr__(self, "peak", peak_of(per_second))

    @property
    def attempts(self) -> int:
        return len(self.first_attempt_times_s) + len(self.retry_times_s) + self.refused

    @property
    def refused(self) -> int:
        return len(self.refused_times_s)

    @property
    def latency_p50_s(self) -> float | None:
        return percentiles(self.latencies_s, 50)[0]

    @property
    def latency_p99_s(self) -> float | None:
        return percentiles(self.latencies_s, 99)[0]

    def load(self, bucket_s: float | None = None) -> LoadSeries:
        """Attempts that reached the receiver, per bucket."""
        return load_series(self.first_attempt_times_s + self.retry_times_s, bucket_s)

    def refused_load(self, bucket_s: float) -> LoadSeries:
        return load_series(self.refused_times_s, bucket_s)

    def describe(self) -> dict[str, object]:
        p50, p99 = percentiles(self.latencies_s, 50, 99)
        load = self.load()
        return {
            "events": self.events,
            "delivered": self.delivered,
            "gave_up": self.gave_up,
            "latency_p50_s": _clean(p50),
            "latency_p99_s": _clean(p99),
            "latency_max_s": _clean(self.latencies_s[-1] if self.latencies_s else None),
            "peak_attempts_per_s": self.peak.per_s,
            "peak_at_s": self.peak.at_s,
            "peak_retries_per_s": self.retry_peak.per_s,
            "peak_retries_at_s": self.retry_peak.at_s,
            "attempts": self.attempts,
            "refused": self.refused,
            "capacity_per_s": self.capacity_per_s,
            "release_over_s": self.release_over_s,
            "load": {
                "bucket_s": load.bucket_s,
                "counts": list(load.counts),
                "refused": list(self.refused_load(load.bucket_s).counts),
            },
        }


def simulate_herd(
    policy: Policy,
    scenario: Scenario,
    events: int,
    rng: Random,
    *,
    release_over_s: float = 0.0,
    capacity_per_s: int | None = None,
) -> HerdReport:
    """Per event, `rng` draws its release time (if spread) and then its schedule, so an event
    released at 0 draws exactly what `simulate` draws for the same seed."""
    _check(policy, events, release_over_s, capacity_per_s)
    tally = _Tally(policy, scenario)
    if capacity_per_s is None:
        _independent(tally, policy, scenario, events, rng, release_over_s)
    else:
        _capacity_bound(tally, policy, scenario, events, rng, release_over_s, capacity_per_s)
    return HerdReport(
        events=events,
        delivered=len(tally.latencies),
        gave_up=tally.gave_up,
        latencies_s=array("d", sorted(tally.latencies)),
        first_attempt_times_s=tally.firsts,
        retry_times_s=tally.retries,
        refused_times_s=tally.refused,
        capacity_per_s=capacity_per_s,
        release_over_s=release_over_s,
    )


class _Tally:
    """What a herd run collects, plus the scenario's answers judged once per kind (a scenario
    answers with a handful of kinds; judging each attempt anew would be the slowest part)."""

    def __init__(self, policy: Policy, scenario: Scenario) -> None:
        timeout_s = policy.semantics.timeout_s
        self.verdicts: dict[AnswerKind, Verdict] = {
            kind: judge(policy.semantics, scenario.answer_of(kind, timeout_s))
            for kind in AnswerKind
        }
        self.elapsed = {
            kind: timeout_s if kind is AnswerKind.TIMEOUT else 0.0 for kind in AnswerKind
        }
        self.firsts: array[float] = array("d")
        self.retries: array[float] = array("d")
        self.refused: array[float] = array("d")
        self.latencies: list[float] = []
        self.gave_up = 0

    def record(self, n: int, at: float, kind: AnswerKind) -> None:
        if kind is AnswerKind.REFUSED:
            self.refused.append(at)
        elif n == 1:
            self.firsts.append(at)
        else:
            self.retries.append(at)


def _independent(
    tally: _Tally,
    policy: Policy,
    scenario: Scenario,
    events: int,
    rng: Random,
    release_over_s: float,
) -> None:
    # The hot loop of the benchmark: bound methods and dicts hoisted out of it.
    kind_at, verdicts, elapsed = scenario.kind, tally.verdicts, tally.elapsed
    refused, firsts, retries = tally.refused.append, tally.firsts.append, tally.retries.append
    refused_kind = AnswerKind.REFUSED
    latencies = tally.latencies
    for _ in range(events):
        start = release_over_s * rng.random() if release_over_s else 0.0
        delivery = Delivery.start(policy, rng)
        next_wait = delivery.next_wait
        at, n = start, 1
        while True:
            kind = kind_at(n, at)
            if kind is refused_kind:
                refused(at)
            elif n == 1:
                firsts(at)
            else:
                retries(at)
            wait = next_wait(verdicts[kind])
            if wait is None:
                break
            at += elapsed[kind] + wait
            n += 1
        if delivery.delivered:
            latencies.append(at - start)
        else:
            tally.gave_up += 1


def _capacity_bound(
    tally: _Tally,
    policy: Policy,
    scenario: Scenario,
    events: int,
    rng: Random,
    release_over_s: float,
    capacity_per_s: int,
) -> None:
    starts: list[float] = []
    deliveries: list[Delivery] = []
    for _ in range(events):
        starts.append(release_over_s * rng.random() if release_over_s else 0.0)
        deliveries.append(Delivery.start(policy, rng))
    queue = [(start, event) for event, start in enumerate(starts)]
    heapq.heapify(queue)
    served: dict[int, int] = {}  # attempts answered in each whole second
    while queue:
        at, event = heapq.heappop(queue)
        delivery = deliveries[event]
        n = delivery.attempts_made + 1
        kind = scenario.kind(n, at)
        if kind is not AnswerKind.REFUSED:
            second = int(at)
            busy = served.get(second, 0)
            if busy >= capacity_per_s:
                kind = AnswerKind.OVERLOADED
            else:
                served[second] = busy + 1
        tally.record(n, at, kind)
        wait = delivery.next_wait(tally.verdicts[kind])
        if wait is not None:
            heapq.heappush(queue, (at + tally.elapsed[kind] + wait, event))
        elif delivery.delivered:
            tally.latencies.append(at - starts[event])
        else:
            tally.gave_up += 1


def _check(policy: Policy, events: int, release_over_s: float, capacity: int | None) -> None:
    if not 1 <= events <= MAX_EVENTS:
        raise HookscopeError(f"events must be 1 to {MAX_EVENTS:,}, got {events}")
    if events * policy.attempts > MAX_SIMULATED_ATTEMPTS:
        raise HookscopeError(
            f"{events:,} events x {policy.attempts} attempts is over the "
            f"{MAX_SIMULATED_ATTEMPTS:,} attempts hookscope simulates at once"
        )
    if not 0 <= release_over_s < float("inf"):
        raise HookscopeError(f"the release window must be >= 0 seconds, got {release_over_s:g}")
    if capacity is not None and capacity < 1:
        raise HookscopeError(f"capacity must be at least 1 attempt per second, got {capacity}")


def _clean(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 6)
