"""The options that describe a forward target on the command line, shared by `listen --forward`
and `hookscope forward --to`. Values are checked when the command runs, so a bad one is one line
(`hookscope: error: ...`, exit 2) before anything is opened."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from hookscope.cli.retry_options import count, number, seconds

if TYPE_CHECKING:
    from hookscope.core.forward import ForwardTarget, HostMode, Mode
    from hookscope.core.retry import Policy

__all__ = ["add_target_options", "target_from_args"]


def add_target_options(parser: argparse.ArgumentParser, prefix: str, title: str) -> None:
    """`prefix` is "--forward-" for listen, "--" for the forward command."""
    group = parser.add_argument_group(title)
    if prefix == "--forward-":
        group.add_argument(
            "--forward-mode",
            metavar="MODE",
            help="pass-through (default: the sender waits for the handler's answer) or queue "
            "(store-and-forward: answer at once, deliver from the outbox, retrying)",
        )
        group.add_argument(
            "--forward-path", metavar="GLOB", help="only paths matching GLOB (default *)"
        )
    group.add_argument(
        f"{prefix}retry",
        metavar="POLICY",
        help="retry policy: a preset or exponential, linear, fixed (default for queue: "
        "exponential, 8 attempts from 1 s, at most 30 s apart)",
    )
    group.add_argument(f"{prefix}attempts", metavar="N", help="attempts in all")
    group.add_argument(f"{prefix}base", metavar="SECONDS", help="the first retry's wait")
    group.add_argument(f"{prefix}factor", metavar="F", help="exponential growth per retry")
    group.add_argument(f"{prefix}max-delay", metavar="SECONDS", help="no wait is longer")
    group.add_argument(f"{prefix}jitter", metavar="MODE", help="none, full, equal, decorrelated")
    group.add_argument(
        f"{prefix}timeout", metavar="SECONDS", help="per-attempt timeout (default 10)"
    )
    group.add_argument(
        f"{prefix}resign",
        metavar="SCHEME",
        help="re-sign each attempt for the handler (fresh timestamp, same event id)",
    )
    group.add_argument(
        f"{prefix}secret-env",
        metavar="NAME",
        help="the environment variable holding the handler's secret (for re-signing)",
    )
    group.add_argument(
        f"{prefix}host",
        metavar="keep|rewrite",
        help="the Host header: the sender's (keep, default) or the target's (rewrite)",
    )
    group.add_argument(
        f"{prefix}x-forwarded",
        action="store_true",
        help="add X-Forwarded-For/-Proto/-Host and Forwarded",
    )
    group.add_argument(
        f"{prefix}fixed-url",
        action="store_true",
        help="send to the URL as given, without appending the capture's path and query",
    )
    group.add_argument(
        f"{prefix}parallel",
        metavar="N",
        help="deliveries at once per target (default 1: in arrival order)",
    )


def target_from_args(
    args: argparse.Namespace, prefix: str, url: str, name: str, default_mode: Mode | None = None
) -> ForwardTarget:
    """One target from the options (`prefix` as in `add_target_options`, without dashes)."""
    from hookscope.core.errors import HookscopeError
    from hookscope.core.forward import ForwardTarget, HostMode, Mode, TargetError

    def get(option: str) -> str | None:
        value: str | None = getattr(args, (prefix + option).replace("-", "_"))
        return value

    flag = "--" + prefix
    mode = default_mode or Mode.PASS_THROUGH
    if prefix == "forward-" and (text := get("mode")) is not None:
        mode = _choice(Mode, text, f"{flag}mode")
    host = HostMode.KEEP
    if (text := get("host")) is not None:
        host = _choice(HostMode, text, f"{flag}host")
    secret = None
    scheme = get("resign")
    variable = get("secret-env")
    if scheme is not None:
        if variable is None:
            raise HookscopeError(f"{flag}resign needs {flag}secret-env NAME (the handler's secret)")
        secret = os.environ.get(variable)
        if not secret:
            raise HookscopeError(f"{flag}secret-env: the variable {variable} is not set")
        from hookscope.core.signing import get_scheme

        get_scheme(scheme)  # an unknown scheme is a one-line error (SigningInputError)
    elif variable is not None:
        raise HookscopeError(f"{flag}secret-env is for {flag}resign SCHEME")
    parallel = get("parallel")
    timeout = get("timeout")
    try:
        return ForwardTarget(
            name=name,
            url=url,
            path=(get("path") if prefix == "forward-" else None) or "*",
            mode=mode,
            append_path=not getattr(args, (prefix + "fixed_url").replace("-", "_")),
            policy=_policy(args, prefix),
            timeout_s=10.0 if timeout is None else seconds(timeout, f"{flag}timeout"),
            host=host,
            forwarded_headers=getattr(args, (prefix + "x_forwarded").replace("-", "_")),
            resign=scheme,
            secret_env=variable,
            secret=secret,
            parallel=1 if parallel is None else count(parallel, f"{flag}parallel"),
        )
    except TargetError as exc:
        option = {"url": "URL", "name": "URL"}.get(exc.field, f"{flag}{exc.field}")
        raise HookscopeError(f"{option}: {exc.message}") from None


def _policy(args: argparse.Namespace, prefix: str) -> Policy:
    from hookscope.core.forward import DEFAULT_POLICY
    from hookscope.core.retry import Jitter
    from hookscope.core.retry.catalog import build_policy

    def get(option: str) -> str | None:
        value: str | None = getattr(args, (prefix + option).replace("-", "_"))
        return value

    flag = "--" + prefix
    name = get("retry")
    parameters = [get(o) for o in ("attempts", "base", "factor", "max-delay", "jitter")]
    if name is None:
        if any(p is not None for p in parameters):
            from hookscope.core.errors import HookscopeError

            raise HookscopeError(f"{flag}attempts, {flag}base, … go with {flag}retry POLICY")
        return DEFAULT_POLICY
    attempts, base, factor, max_delay, jitter = parameters
    return build_policy(
        name,
        attempts=None if attempts is None else count(attempts, f"{flag}attempts"),
        base_s=None if base is None else seconds(base, f"{flag}base"),
        factor=None if factor is None else number(factor, f"{flag}factor"),
        max_delay_s=None if max_delay is None else seconds(max_delay, f"{flag}max-delay"),
        jitter=None if jitter is None else Jitter.parse(jitter),
    )


def _choice(kind: type[Mode] | type[HostMode], text: str, option: str) -> Any:
    from hookscope.core.errors import HookscopeError

    try:
        value = kind(text)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise HookscopeError(f"{option}: expected one of {choices}, got {text!r}") from None
    return value
