"""A herd run and everything its plots need, computed in one go off the GUI thread.

`run_herd` returns plain numbers (numpy arrays), never Qt objects: it runs on a worker thread.
Load is counted per whole second, exactly as core counts its peak, then each plotted bucket
shows the busiest second inside it, so the plot's highest bar is the reported peak however far
the view is zoomed out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from random import Random

import numpy as np

from hookscope.core.retry import HerdReport, Policy, Scenario, simulate_herd
from hookscope.core.retry.stats import nice_bucket

__all__ = ["HerdPlotData", "HerdRequest", "run_herd", "run_herds"]

MAX_LOAD_BUCKETS = 4000  # per plotted series: enough to resolve a day at half a minute
MIN_HISTOGRAM_BINS = 20
DEFAULT_HISTOGRAM_BINS = 60
MAX_HISTOGRAM_BINS = 120


@dataclass(frozen=True, slots=True)
class HerdRequest:
    name: str
    policy: Policy
    scenario: Scenario
    events: int
    seed: int
    release_over_s: float = 0.0
    capacity_per_s: int | None = None


@dataclass(frozen=True, slots=True)
class HerdPlotData:
    request: HerdRequest
    report: HerdReport
    latencies_s: np.ndarray  # delivered events' latencies, sorted
    load_bucket_s: float
    load_peak_per_s: np.ndarray  # the busiest second's attempts in each bucket
    refused_peak_per_s: np.ndarray  # the same for attempts refused during outages
    histogram_counts: np.ndarray  # delivered events per latency bin
    histogram_edges: np.ndarray


def run_herd(request: HerdRequest) -> HerdPlotData:
    report = simulate_herd(
        request.policy,
        request.scenario,
        request.events,
        Random(request.seed),
        release_over_s=request.release_over_s,
        capacity_per_s=request.capacity_per_s,
    )
    reached = np.concatenate((_floats(report.first_attempt_times_s), _floats(report.retry_times_s)))
    refused = _floats(report.refused_times_s)
    span = max(float(reached.max(initial=0.0)), float(refused.max(initial=0.0)), 1.0)
    bucket = nice_bucket(span + 1, MAX_LOAD_BUCKETS)
    buckets = int(span // bucket) + 1
    latencies = _floats(report.latencies_s)
    edges = histogram_edges([latencies])
    return HerdPlotData(
        request=request,
        report=report,
        latencies_s=latencies,
        load_bucket_s=bucket,
        load_peak_per_s=_peak_per_bucket(reached, bucket, buckets),
        refused_peak_per_s=_peak_per_bucket(refused, bucket, buckets),
        histogram_counts=np.histogram(latencies, bins=edges)[0],
        histogram_edges=edges,
    )


def run_herds(requests: tuple[HerdRequest, ...]) -> list[HerdPlotData]:
    """Several herds (a policy and the one it is compared with) on shared histogram bins."""
    results = [run_herd(r) for r in requests]
    if len(results) < 2:
        return results
    edges = histogram_edges([r.latencies_s for r in results])
    return [
        replace(
            r,
            histogram_counts=np.histogram(r.latencies_s, bins=edges)[0],
            histogram_edges=edges,
        )
        for r in results
    ]


def histogram_edges(samples: list[np.ndarray]) -> np.ndarray:
    """Bin edges that suit every sample: numpy's automatic choice, at most MAX_HISTOGRAM_BINS,
    from 0 (the release) so that the plot shows how long the wait was, not only its spread."""
    joined = np.concatenate(samples) if samples else np.zeros(0)
    if joined.size == 0:
        return np.array([0.0, 1.0])
    span = (0.0, max(float(joined.max()), 1.0))
    edges = np.histogram_bin_edges(joined, bins="auto", range=span)
    if not MIN_HISTOGRAM_BINS <= len(edges) - 1 <= MAX_HISTOGRAM_BINS:
        # Too coarse when all latencies are alike (no jitter), too fine for a long tail.
        edges = np.histogram_bin_edges(joined, bins=DEFAULT_HISTOGRAM_BINS, range=span)
    return edges


def _floats(values: object) -> np.ndarray:
    """A core `array('d')` as a numpy view, without copying."""
    return np.frombuffer(values, dtype=np.float64) if len(values) else np.zeros(0)  # type: ignore[arg-type, call-overload]


def _peak_per_bucket(times: np.ndarray, bucket_s: float, buckets: int) -> np.ndarray:
    peaks = np.zeros(buckets, dtype=np.int64)
    if times.size:
        seconds, per_second = np.unique(np.floor(times).astype(np.int64), return_counts=True)
        np.maximum.at(peaks, (seconds // int(bucket_s)).astype(np.int64), per_second)
    return peaks
