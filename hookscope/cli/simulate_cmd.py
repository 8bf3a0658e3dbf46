"""`hookscope simulate`: a retry schedule against a failure scenario, for one event or a herd."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hookscope.cli.retry_options import add_policy_options, count, policy_from_args, seconds

if TYPE_CHECKING:
    import random

    from hookscope.core.retry import HerdReport, Policy, Scenario, Timeline

_STOPS = {
    "exhausted": "every attempt failed",
    "gone": "410 Gone: the sender disables the endpoint",
    "aborted": "the receiver asked to stop retrying",
    "rejected": "a status this sender never retries",
    "no-retry": "the receiver asked for no retries",
    "client-error": "a 4xx this sender treats as permanent",
}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="compute a retry schedule against a failure scenario",
        description="Show when a provider's (or your own) retry policy would attempt a webhook "
        "through failures and outages, and for many events the load on the receiver.",
    )
    parser.add_argument(
        "policy",
        metavar="POLICY",
        help="a preset (svix, standard-webhooks, zoom, mailgun, adyen, slack, aws-sns-default, "
        "pubsub, github, and the approximations stripe, shopify, paddle) or exponential, "
        "linear, fixed",
    )
    add_policy_options(parser)
    scenario = parser.add_argument_group(
        "failure scenario (times: seconds after the first attempt)"
    )
    scenario.add_argument("--fail-first", metavar="N", help="the first N attempts fail")
    scenario.add_argument(
        "--outage",
        metavar="START:END",
        action="append",
        default=[],
        help="the receiver is down (refuses connections) from START to END; repeatable",
    )
    scenario.add_argument("--timeout-first", metavar="N", help="the first N attempts time out")
    scenario.add_argument(
        "--fail-status", metavar="CODE", help="the status a failing attempt gets (default 503)"
    )
    scenario.add_argument(
        "--fail-header",
        metavar="'NAME: VALUE'",
        action="append",
        default=[],
        help="a header on failing answers, e.g. 'Retry-After: 120'; repeatable",
    )
    herd = parser.add_argument_group("many events")
    herd.add_argument("--events", metavar="N", help="N events released together")
    herd.add_argument(
        "--release-over", metavar="SECONDS", help="release them at random over this window"
    )
    herd.add_argument(
        "--capacity", metavar="N", help="the receiver answers at most N attempts/s, the rest 503"
    )
    parser.add_argument("--seed", metavar="N", help="makes jitter reproducible")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import random

    from hookscope.core.retry import simulate

    policy = policy_from_args(args)
    scenario = _scenario(args)
    seed = _seed(args.seed)
    run_herd = _herd_runner(args)
    timeline = simulate(policy, scenario, random.Random(seed))
    herd = None if run_herd is None else run_herd(policy, scenario, random.Random(seed))
    if args.json:
        json.dump(_document(policy, scenario, seed, timeline, herd), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_table(policy, scenario, seed, timeline, herd))
    return 0


def _herd_runner(
    args: argparse.Namespace,
) -> Callable[[Policy, Scenario, random.Random], HerdReport] | None:
    from hookscope.core.errors import HookscopeError
    from hookscope.core.retry import simulate_herd

    if args.events is None:
        if args.release_over is not None or args.capacity is not None:
            raise HookscopeError("--release-over and --capacity describe a herd: add --events N")
        return None
    events = count(args.events, "--events")
    release_over_s = (
        0.0 if args.release_over is None else seconds(args.release_over, "--release-over")
    )
    capacity = None if args.capacity is None else count(args.capacity, "--capacity")

    def run_herd(policy: Policy, scenario: Scenario, rng: random.Random) -> HerdReport:
        return simulate_herd(
            policy, scenario, events, rng, release_over_s=release_over_s, capacity_per_s=capacity
        )

    return run_herd


def _scenario(args: argparse.Namespace) -> Scenario:
    from hookscope.core.errors import HookscopeError
    from hookscope.core.retry import Outage, Scenario

    headers = []
    for text in args.fail_header:
        name, sep, value = text.partition(":")
        if not sep or not name.strip():
            raise HookscopeError(f"--fail-header: expected 'Name: value', got {text!r}")
        headers.append((name.strip(), value.strip()))
    return Scenario(
        fail_first=0 if args.fail_first is None else count(args.fail_first, "--fail-first"),
        timeout_first=0
        if args.timeout_first is None
        else count(args.timeout_first, "--timeout-first"),
        outages=tuple(
            sorted((Outage.parse(text) for text in args.outage), key=lambda o: o.start_s)
        ),
        fail_status=503 if args.fail_status is None else count(args.fail_status, "--fail-status"),
        fail_headers=tuple(headers),
    )


def _seed(text: str | None) -> int:
    """Without --seed, a fresh seed, printed so that the run can be repeated."""
    if text is None:
        import secrets

        return secrets.randbelow(2**32)
    from hookscope.core.errors import HookscopeError

    try:
        return int(text)
    except ValueError:
        raise HookscopeError(f"--seed: expected a whole number, got {text!r}") from None


def _document(
    policy: Policy, scenario: Scenario, seed: int, timeline: Timeline, herd: HerdReport | None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "policy": policy.describe(),
        "scenario": scenario.describe(),
        "seed": seed,
        "attempts": [attempt.describe() for attempt in timeline.attempts],
        "delivered": timeline.delivered,
        "delivered_at_s": timeline.delivered_at_s,
        "gave_up_at_s": timeline.gave_up_at_s,
        "stop_reason": None if timeline.stop is None else timeline.stop.value,
    }
    if herd is not None:
        document["herd"] = herd.describe()
    return document


def _table(
    policy: Policy, scenario: Scenario, seed: int, timeline: Timeline, herd: HerdReport | None
) -> str:
    from hookscope.core.retry import JitterKind, format_duration

    kind = "exact" if policy.exact else "APPROXIMATION"
    plural = "s" if policy.attempts != 1 else ""
    lines = [f"policy    {policy.name} ({kind}): {policy.attempts} attempt{plural}, jitter "
             f"{policy.jitter}, timeout {policy.semantics.timeout_s:g} s"]  # fmt: skip
    if policy.source:
        lines.append(f"source    {policy.source}")
    lines += [f"note      {note}" for note in policy.notes]
    lines.append(f"scenario  {_describe_scenario(scenario)}")
    if policy.jitter.kind is not JitterKind.NONE or (herd and herd.release_over_s):
        lines.append(f"seed      {seed}")
    lines.append("")
    rows = [("#", "at", "delay", "outcome", "answer")]
    for attempt in timeline.attempts:
        if attempt.status is not None:
            answer = str(attempt.status)
        elif attempt.elapsed_s:
            answer = f"none in {attempt.elapsed_s:g} s"
        else:
            answer = "refused"
        delay = format_duration(attempt.delay_s) if attempt.n > 1 else "-"
        rows.append((str(attempt.n), format_duration(attempt.at_s), delay, attempt.outcome, answer))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].rjust(widths[0])] + [
            c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    last = timeline.attempts[-1].n
    if timeline.delivered_at_s is not None:
        lines.append(f"delivered at {format_duration(timeline.delivered_at_s)} on attempt {last}")
    elif timeline.gave_up_at_s is not None and timeline.stop is not None:
        lines.append(
            f"gave up at {format_duration(timeline.gave_up_at_s)} after {last} "
            f"attempt{'s' if last != 1 else ''}: {_STOPS[timeline.stop.value]}"
        )
    if herd is not None:
        lines += ["", *_herd_lines(herd)]
    return "\n".join(lines) + "\n"


def _herd_lines(herd: HerdReport) -> list[str]:
    from hookscope.core.retry import format_duration

    def duration(value: float | None) -> str:
        return "-" if value is None else format_duration(value)

    released = "together"
    if herd.release_over_s:
        released = f"over {format_duration(herd.release_over_s)}"
    capacity = "" if herd.capacity_per_s is None else f", receiver capacity {herd.capacity_per_s}/s"
    refused = f", {herd.refused} of them refused during outages" if herd.refused else ""
    lines = [
        f"events    {herd.events} released {released}{capacity}: {herd.delivered} delivered, "
        f"{herd.gave_up} gave up",
        f"attempts  {herd.attempts}{refused}",
    ]
    if herd.latencies_s:
        lines.append(
            f"latency   p50 {duration(herd.latency_p50_s)}  p99 {duration(herd.latency_p99_s)}  "
            f"max {duration(herd.latencies_s[-1])}"
        )
    lines.append(
        f"peak      {herd.peak.per_s} attempts/s at {format_duration(herd.peak.at_s)}; "
        f"retries {herd.retry_peak.per_s}/s at {format_duration(herd.retry_peak.at_s)}"
    )
    return lines


def _describe_scenario(scenario: Scenario) -> str:
    parts = []
    if scenario.timeout_first:
        parts.append(f"first {scenario.timeout_first} time out")
    if scenario.fail_first:
        headers = "".join(f", {name}: {value}" for name, value in scenario.fail_headers)
        parts.append(f"first {scenario.fail_first} answered {scenario.fail_status}{headers}")
    parts += [f"down {o.start_s:g}-{o.end_s:g} s" for o in scenario.outages]
    return "; ".join(parts) or "no failures (the first attempt succeeds)"
