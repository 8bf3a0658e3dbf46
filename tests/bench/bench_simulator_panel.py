"""What a herd costs the app beyond core's simulation: the plot data prepared on the worker
thread, and the drawing that happens on the GUI thread (the part that could stutter the app).

Run on demand:

    python tests/bench/bench_simulator_panel.py [--events 100000] [--rounds 3]

Every event fails all 10 attempts of an exponential policy with full jitter (1 s doubling, 1 h
cap) during a 1 h outage, so the run makes events x 10 attempts. The reference is core's own
`simulate_herd` for the same request, measured in the same process: the worker-thread overhead
is `herd job / core`. The GUI-thread time is `HerdView.show_results` (curves built and added to
the two plots) plus one offscreen paint of the view. Best of the rounds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from random import Random

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from hookscope.core.retry import Jitter, Outage, Scenario, exponential, simulate_herd
from hookscope.ui.simulator.herd_job import HerdRequest, run_herds
from hookscope.ui.simulator.herd_view import HerdView

ATTEMPTS = 10


def best(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    policy = exponential(ATTEMPTS, 1.0, 2.0, 3600.0, Jitter.parse("full"))
    scenario = Scenario(outages=(Outage(0.0, 3600.0),))
    request = HerdRequest("bench", policy, scenario, args.events, seed=1)

    core_s = best(args.rounds, lambda: simulate_herd(policy, scenario, args.events, Random(1)))
    job_s = best(args.rounds, lambda: run_herds((request,)))
    results = run_herds((request,))
    view = HerdView()
    view.resize(1200, 500)
    view.show()
    app.processEvents()

    def draw() -> None:
        view.show_results(results)
        view.grab()

    gui_s = best(args.rounds, draw)
    attempts = results[0].report.attempts
    print(f"events {args.events:,}, attempts {attempts:,}, best of {args.rounds}")
    print(f"core simulate_herd        {core_s * 1000:8.1f} ms")
    print(f"herd job (worker thread)  {job_s * 1000:8.1f} ms   {job_s / core_s:5.2f}x core")
    print(f"draw + paint (GUI thread) {gui_s * 1000:8.1f} ms   {gui_s / core_s:5.2f}x core")
    view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
