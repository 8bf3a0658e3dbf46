"""Load and latency statistics over many attempts: peaks per second, percentiles, a bucketed
load-over-time series for plotting."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "LoadSeries",
    "Peak",
    "load_series",
    "nice_bucket",
    "peak_of",
    "peak_per_second",
    "percentiles",
]

# Bucket widths a person reads easily on a time axis, in seconds.
_NICE_BUCKETS = (
    1,
    2,
    5,
    10,
    15,
    30,
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    7200,
    10800,
    21600,
    43200,
    86400,
)


@dataclass(frozen=True, slots=True)
class Peak:
    per_s: int  # the most attempts within one second
    at_s: float  # the start of the earliest such second


@dataclass(frozen=True, slots=True)
class LoadSeries:
    """`counts[i]` attempts fell in [i * bucket_s, (i + 1) * bucket_s)."""

    bucket_s: float
    counts: tuple[int, ...]

    def describe(self) -> dict[str, object]:
        return {"bucket_s": self.bucket_s, "counts": list(self.counts)}


def peak_per_second(times_s: Iterable[float]) -> Peak:
    """Times are seconds since the release, so whole seconds are the receiver's seconds."""
    return peak_of(Counter(map(int, times_s)))


def peak_of(per_second: Counter[int]) -> Peak:
    """The busiest second of a count of attempts per whole second."""
    if not per_second:
        return Peak(0, 0.0)
    second, count = max(per_second.items(), key=lambda item: (item[1], -item[0]))
    return Peak(count, float(second))


def nice_bucket(span_s: float, max_buckets: int = 600) -> float:
    """The smallest readable bucket width that cuts `span_s` into at most `max_buckets`."""
    for width in _NICE_BUCKETS:
        if span_s / width < max_buckets:
            return float(width)
    days = 1
    while span_s / (days * 86400) >= max_buckets:
        days *= 2
    return float(days * 86400)


def load_series(times_s: Sequence[float], bucket_s: float | None = None) -> LoadSeries:
    if not times_s:
        return LoadSeries(bucket_s or 1.0, ())
    width = bucket_s if bucket_s is not None else nice_bucket(max(times_s))
    counts = [0] * (int(max(times_s) // width) + 1)
    for t in times_s:
        counts[int(t // width)] += 1
    return LoadSeries(width, tuple(counts))


def percentiles(values: Sequence[float], *ps: int) -> tuple[float | None, ...]:
    """The ps-th percentiles (1 to 99), interpolated between ranks as numpy's default does."""
    if any(not 1 <= p <= 99 for p in ps):
        raise ValueError("percentiles here are whole numbers from 1 to 99")
    if len(values) < 2:
        return tuple(values[0] if values else None for _ in ps)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return tuple(cuts[p - 1] for p in ps)
