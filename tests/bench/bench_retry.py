"""Herd simulation speed: 100k events x 10 attempts with jitter, target <= 1 s.

Run on demand:

    python tests/bench/bench_retry.py [--events 100000] [--jitter full] [--rounds 3]

Every event fails all 10 attempts of an exponential policy (1 s doubling, 1 h cap), so the run
makes exactly events x 10 attempts and events x 9 jitter draws. Two references run in the same
process, so the ratios hold on any machine:
- `uniform draws`: a bare loop making the same number of `random.uniform` calls, the floor for
  any pure-Python simulation that draws each wait;
- `bare loop`: a hand-written loop with the same arithmetic (draw, add, append) and none of the
  policy, state machine, scenario or statistics.
It also times the report's statistics (percentiles, load series) and the capacity-bound mode,
which plays attempts in time order through a heap. Best of the rounds.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable

from hookscope.core.retry import Jitter, Scenario, exponential, simulate_herd

ATTEMPTS = 10
TARGET_S = 1.0


def best(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def uniform_draws(draws: int) -> None:
    uniform = random.Random(1).uniform
    for _ in range(draws):
        uniform(0, 100.0)


def bare_loop(events: int, nominal: tuple[float, ...]) -> None:
    rnd = random.Random(1).random
    times: list[float] = []
    append = times.append
    for _ in range(events):
        at = 0.0
        append(at)
        for d in nominal:
            at += d * rnd()
            append(at)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--jitter", default="full")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    policy = exponential(ATTEMPTS, 1, 2, 3600, Jitter.parse(args.jitter))
    scenario = Scenario(fail_first=ATTEMPTS)
    events = args.events

    def herd() -> None:
        report = simulate_herd(policy, scenario, events, random.Random(1))
        assert report.attempts == events * ATTEMPTS
        assert report.gave_up == events

    def herd_and_stats() -> None:
        simulate_herd(policy, scenario, events, random.Random(1)).describe()

    def capacity_bound() -> None:
        simulate_herd(policy, scenario, events, random.Random(1), capacity_per_s=1000)

    rows = [
        ("uniform draws", best(args.rounds, lambda: uniform_draws(events * (ATTEMPTS - 1)))),
        ("bare loop", best(args.rounds, lambda: bare_loop(events, policy.delays_s))),
        ("simulate_herd", best(args.rounds, herd)),
        ("simulate_herd + describe()", best(args.rounds, herd_and_stats)),
        ("simulate_herd, capacity 1000/s", best(1, capacity_bound)),
    ]
    draws, bare = rows[0][1], rows[1][1]
    print(
        f"{events:,} events x {ATTEMPTS} attempts, jitter {policy.jitter}, "
        f"Python {sys.version.split()[0]}, best of {args.rounds}"
    )
    for name, seconds in rows:
        ratios = f"x{seconds / draws:5.1f} draws   x{seconds / bare:5.1f} bare"
        print(f"  {name:32s} {seconds:7.3f} s   {ratios}")
    verdict = "meets" if rows[2][1] <= TARGET_S else "misses"
    print(f"simulate_herd {verdict} the {TARGET_S:g} s target ({rows[2][1]:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
