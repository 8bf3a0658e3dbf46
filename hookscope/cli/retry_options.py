"""The retry-policy options (`POLICY --attempts --base --factor --max-delay --jitter --timeout`),
shared by the commands that take a policy. Values arrive as text and are checked when the command
runs, so a bad one is reported in one line (exit 2) instead of argparse's usage block."""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hookscope.core.retry import Policy

__all__ = ["add_policy_options", "count", "policy_from_args", "seconds"]


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "policy options",
        "for exponential, linear and fixed (defaults: 10 attempts, 10 s base, factor 2, 3600 s "
        "max delay); a preset takes only --jitter and --timeout",
    )
    group.add_argument("--attempts", metavar="N", help="attempts in all, the first included")
    group.add_argument("--base", metavar="SECONDS", help="the first retry's wait")
    group.add_argument("--factor", metavar="F", help="exponential growth per retry")
    group.add_argument("--max-delay", metavar="SECONDS", help="no wait is longer")
    group.add_argument(
        "--jitter",
        metavar="MODE",
        help="none (default), full, equal, decorrelated, or a spread such as 20%%",
    )
    group.add_argument(
        "--timeout", metavar="SECONDS", help="per-attempt timeout (default: the provider's, or 15)"
    )


def policy_from_args(args: argparse.Namespace) -> Policy:
    from hookscope.core.retry import Jitter
    from hookscope.core.retry.catalog import build_policy

    return build_policy(
        args.policy,
        attempts=None if args.attempts is None else count(args.attempts, "--attempts"),
        base_s=None if args.base is None else seconds(args.base, "--base"),
        factor=None if args.factor is None else number(args.factor, "--factor"),
        max_delay_s=None if args.max_delay is None else seconds(args.max_delay, "--max-delay"),
        jitter=None if args.jitter is None else Jitter.parse(args.jitter),
        timeout_s=None if args.timeout is None else seconds(args.timeout, "--timeout"),
    )


def count(text: str, option: str) -> int:
    from hookscope.core.errors import HookscopeError

    try:
        value = int(text)
    except ValueError:
        raise HookscopeError(f"{option}: expected a whole number, got {text!r}") from None
    if value < 0:
        raise HookscopeError(f"{option}: expected a number >= 0, got {value}")
    return value


def number(text: str, option: str) -> float:
    from hookscope.core.errors import HookscopeError

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise HookscopeError(f"{option}: expected a number, got {text!r}")
    return value


def seconds(text: str, option: str) -> float:
    from hookscope.core.errors import HookscopeError

    value = number(text, option)
    if value < 0:
        raise HookscopeError(f"{option}: expected seconds >= 0, got {text}")
    return value
