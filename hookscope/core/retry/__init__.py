"""Retry schedules: providers' presets and formula policies, jitter, a delivery state machine
that decides the next wait from each attempt's answer, and simulations of one event or a herd of
them against a failure scenario. Pure and seeded: the same seed gives the same numbers."""

from __future__ import annotations

from hookscope.core.retry.answers import AttemptAnswer, parse_retry_after
from hookscope.core.retry.delivery import Decision, Delivery
from hookscope.core.retry.herd import HerdReport, simulate_herd
from hookscope.core.retry.jitter import NO_JITTER, Jitter, JitterKind
from hookscope.core.retry.policy import Policy, Shape, exponential, fixed, linear, schedule, table
from hookscope.core.retry.presets import PRESETS
from hookscope.core.retry.scenario import Outage, Scenario
from hookscope.core.retry.semantics import Outcome, Semantics, StopReason, Verdict, judge
from hookscope.core.retry.simulate import Attempt, Timeline, simulate
from hookscope.core.retry.stats import LoadSeries, Peak
from hookscope.core.retry.timefmt import format_duration

__all__ = [
    "NO_JITTER",
    "PRESETS",
    "Attempt",
    "AttemptAnswer",
    "Decision",
    "Delivery",
    "HerdReport",
    "Jitter",
    "JitterKind",
    "LoadSeries",
    "Outage",
    "Outcome",
    "Peak",
    "Policy",
    "Scenario",
    "Semantics",
    "Shape",
    "StopReason",
    "Timeline",
    "Verdict",
    "exponential",
    "fixed",
    "format_duration",
    "judge",
    "linear",
    "parse_retry_after",
    "schedule",
    "simulate",
    "simulate_herd",
    "table",
]
