"""Percentiles, peaks per second and load buckets."""

from __future__ import annotations

import random

import pytest

from hookscope.core.retry import format_duration
from hookscope.core.retry.stats import load_series, nice_bucket, peak_per_second, percentiles


def linear_percentile(values: list[float], p: int) -> float:
    """numpy's default ('linear') percentile, written out as the oracle."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def test_percentiles_interpolate_like_numpy() -> None:
    values = [random.Random(3).uniform(0, 1000) for _ in range(1001)]
    values += [5.0, 7.0]
    p50, p99 = percentiles(values, 50, 99)
    assert p50 == pytest.approx(linear_percentile(values, 50))
    assert p99 == pytest.approx(linear_percentile(values, 99))


def test_percentiles_of_few_values() -> None:
    assert percentiles([], 50, 99) == (None, None)
    assert percentiles([4.0], 50, 99) == (4.0, 4.0)
    assert percentiles([0.0, 10.0], 50) == (5.0,)
    with pytest.raises(ValueError, match="1 to 99"):
        percentiles([1.0, 2.0], 100)


def test_peak_is_the_busiest_whole_second_the_earliest_on_a_tie() -> None:
    peak = peak_per_second([0.1, 0.9, 5.0, 5.5, 7.2, 7.3, 7.999])
    assert (peak.per_s, peak.at_s) == (3, 7.0)
    tie = peak_per_second([3.5, 3.6, 1.0, 1.2])
    assert (tie.per_s, tie.at_s) == (2, 1.0)
    assert peak_per_second([]).per_s == 0


def test_load_series_buckets() -> None:
    series = load_series([0.0, 9.99, 10.0, 25.0], bucket_s=10)
    assert series.counts == (2, 1, 1)
    assert load_series([]).counts == ()


def test_nice_bucket_keeps_a_day_long_plot_readable() -> None:
    assert nice_bucket(100) == 1
    assert nice_bucket(99305) == 300  # svix's 27 h in 331 buckets
    assert nice_bucket(30 * 86400) == 7200  # Adyen's month in 360 bars
    assert nice_bucket(365 * 86400) == 86400
    assert nice_bucket(10 * 365 * 86400) == 8 * 86400  # past a day, whole days doubling


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00:00"),
        (5, "00:00:05"),
        (2105, "00:35:05"),
        (99305, "1d 03:35:05"),
        (3 * 86400 + 11705, "3d 03:15:05"),
        (4.2714, "00:00:04.271"),
        (59.9996, "00:01:00"),
        (-5, "-00:00:05"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
