"""`hookscope send`: send one (signed) webhook, optionally retrying on a policy until a 2xx.

Each attempt is signed afresh: a new timestamp, the same event id. With `--retry POLICY` the
attempts follow the policy's real schedule and its rules (410 stops, `Retry-After` wins, …), with
the waits compressed by `--time-scale`. The final answer's body goes to stdout, progress to
stderr; `--json` prints every attempt instead. Exit 0 on a 2xx, 1 when every attempt failed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from hookscope.cli.retry_options import add_policy_options
from hookscope.cli.signing_args import add_secret_options

if TYPE_CHECKING:
    from hookscope.cli.send_compose import Composed
    from hookscope.cli.send_report import AttemptRecord
    from hookscope.core.retry import Policy

_DEFAULT_TIMEOUT_S = 15.0  # as the formula policies' (and most providers') per-attempt timeout
_RETRY_ONLY = {"attempts": "--attempts", "base": "--base", "factor": "--factor",
               "max_delay": "--max-delay", "jitter": "--jitter", "time_scale": "--time-scale",
               "seed": "--seed"}  # fmt: skip


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="send one (signed) webhook, retrying on a policy until a 2xx",
        description="Send one webhook, byte for byte: the body from --body-file, standard input "
        "or a --template; signed with --sign SCHEME --secret S; retried with --retry POLICY "
        "until a 2xx, each attempt re-signed with a fresh timestamp and the same event id. "
        "The answer's body goes to stdout, one line per attempt to stderr.",
    )
    parser.add_argument("url", metavar="URL", nargs="?", help="where to send it")
    parser.add_argument("-X", "--request", dest="method", metavar="METHOD", help="default POST")
    parser.add_argument(
        "-H",
        "--header",
        dest="header",
        action="append",
        default=[],
        metavar="'Name: value'",
        help="a header (repeatable); replaces the template's of that name; 'Name:' removes one, "
        "'Name;' sends it empty",
    )
    parser.add_argument(
        "--body-file", metavar="F", help="the body, byte for byte ('-' or none: standard input)"
    )
    parser.add_argument(
        "--template",
        metavar="NAME",
        help="start from a template (`hookscope templates` lists them): its method, headers, "
        "body and, with --secret, its scheme; URL without a path takes the template's path",
    )
    parser.add_argument(
        "--expand-vars",
        action="store_true",
        help="expand {{uuid}}, {{now}}, {{now_iso}}, {{random_int}}, {{random_id}}, {{seq}} in "
        "the body and headers (always on with --template)",
    )
    signing = parser.add_argument_group("signing")
    signing.add_argument("--sign", metavar="SCHEME", help="a scheme `hookscope schemes` lists")
    add_secret_options(
        signing,
        "the secret as the provider shows it (a private key for standard-webhooks-v1a and "
        "discord); repeat it to sign with several, as during a rotation",
    )
    signing.add_argument(
        "--id", dest="msg_id", metavar="ID", help="the event id the scheme signs (default: new)"
    )
    signing.add_argument(
        "--signed-url", metavar="URL", help="the URL twilio or square sign (default: URL)"
    )
    generic = parser.add_argument_group(
        "--sign hmac", "the generic HMAC; the template uses {body}, {timestamp}, {id}, {url}"
    )
    generic.add_argument("--hmac-header", metavar="NAME", help="carries the signature")
    generic.add_argument("--hmac-algorithm", choices=("sha1", "sha256", "sha512"))
    generic.add_argument("--hmac-encoding", choices=("hex", "base64"))
    generic.add_argument("--hmac-template", metavar="TEMPLATE", help="default '{body}'")
    generic.add_argument("--hmac-prefix", metavar="P", help="before the signature")
    generic.add_argument("--hmac-timestamp-header", metavar="NAME", help="carries {timestamp}")
    generic.add_argument("--hmac-id-header", metavar="NAME", help="carries {id}")
    retry = parser.add_argument_group("retrying")
    retry.add_argument(
        "--retry",
        dest="policy",
        metavar="POLICY",
        help="retry until a 2xx on a policy, as `hookscope simulate` takes it",
    )
    retry.add_argument(
        "--time-scale",
        metavar="F",
        help="multiply every wait by F (0.001: a 5-minute wait takes 0.3 s); default 1",
    )
    retry.add_argument("--seed", metavar="N", help="makes jitter reproducible")
    add_policy_options(parser)
    parser.add_argument(
        "--insecure", action="store_true", help="do not verify TLS certificates (says so)"
    )
    parser.add_argument(
        "--follow-redirects",
        action="store_true",
        help="follow redirects (providers do not, so not with --retry)",
    )
    parser.add_argument("--json", action="store_true", help="print every attempt as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from hookscope.cli.send_compose import compose
    from hookscope.cli.send_report import document, failure_line

    policy, time_scale, seed, timeout_s = _retry_settings(args)
    composed = compose(args)
    for name in composed.unknown_variables:
        _warn(f"unknown variable {{{{{name}}}}} left as is")
    if args.insecure:
        _warn("TLS certificate verification is off (--insecure)")
    if policy is None:
        records = asyncio.run(_send_once(composed, args, timeout_s))
    else:
        records = asyncio.run(_send_with_retries(composed, args, policy, time_scale, seed))
    delivered = records[-1].outcome == "success"
    if args.json:
        doc = document(
            composed,
            records,
            policy=policy,
            time_scale=time_scale,
            seed=seed,
            verify_tls=not args.insecure,
            follow_redirects=args.follow_redirects,
        )
        print(json.dumps(doc))
    else:
        body = records[-1].result.response_body
        if body:
            from hookscope.cli.terminal import stdout_for_bytes

            sys.stdout.flush()
            out = stdout_for_bytes()  # as received in a pipe; escaped on a terminal
            out.write(body)
            if out is sys.stdout.buffer:
                out.flush()
            else:
                out.close()
    if not delivered:
        _say(f"hookscope: {failure_line(records, policy is not None)}")
        return 1
    if policy is not None and not args.json:
        _say(f"delivered on attempt {records[-1].n}")
    return 0


def _retry_settings(
    args: argparse.Namespace,
) -> tuple[Policy | None, float | None, int | None, float]:
    """The policy, time scale, seed and single-send timeout; options that only make sense with
    --retry are refused without it."""
    from hookscope.cli.retry_options import count, number, policy_from_args, seconds
    from hookscope.core.errors import HookscopeError

    if args.policy is None:
        given = [flag for dest, flag in _RETRY_ONLY.items() if getattr(args, dest) is not None]
        if given:
            raise HookscopeError(f"{', '.join(given)}: only with --retry POLICY")
        timeout = _DEFAULT_TIMEOUT_S if args.timeout is None else seconds(args.timeout, "--timeout")
        if timeout <= 0:
            raise HookscopeError("--timeout: expected seconds > 0")
        return None, None, None, timeout
    if args.follow_redirects:
        raise HookscopeError(
            "--follow-redirects: a retry policy judges a redirect a failure, as providers do; "
            "drop one of the two"
        )
    policy = policy_from_args(args)
    scale = 1.0 if args.time_scale is None else number(args.time_scale, "--time-scale")
    if scale <= 0:
        raise HookscopeError(f"--time-scale: expected a number > 0, got {args.time_scale}")
    if args.seed is None:
        import secrets

        seed = secrets.randbelow(2**32)
    else:
        seed = count(args.seed, "--seed")
    return policy, scale, seed, policy.semantics.timeout_s


async def _send_once(
    composed: Composed, args: argparse.Namespace, timeout_s: float
) -> list[AttemptRecord]:
    from hookscope.cli.send_report import AttemptRecord, progress_line
    from hookscope.core.send.sender import send

    result = await send(
        composed.request,
        signer=composed.signer,
        timeout_s=timeout_s,
        verify_tls=not args.insecure,
        follow_redirects=args.follow_redirects,
    )
    outcome = "success" if result.ok else "timeout" if result.timed_out else "failure"
    record = AttemptRecord(1, 0.0, 0.0, 0.0, None, outcome, None, result)
    if not args.json and result.ok:  # a failure is told once, by the failure line
        _say(progress_line(record, None))
    return [record]


async def _send_with_retries(
    composed: Composed,
    args: argparse.Namespace,
    policy: Policy,
    time_scale: float | None,
    seed: int | None,
) -> list[AttemptRecord]:
    """The policy played for real (`LiveRun`), its waits compressed by the time scale. Each
    attempt's timeout is the policy's own, uncompressed: a real handler is no faster."""
    import random

    from hookscope.cli.send_report import AttemptRecord, progress_line
    from hookscope.core.retry.live import LiveAttempt, LiveRun

    scale = 1.0 if time_scale is None else time_scale
    records: list[AttemptRecord] = []
    first_sent_after: list[float] = []  # at_s counts from the first attempt, not the setup

    def on_attempt(attempt: LiveAttempt) -> None:
        if not first_sent_after:
            first_sent_after.append(attempt.sent_after_s)
        record = AttemptRecord(
            attempt.n,
            attempt.sent_after_s - first_sent_after[0],
            attempt.scheduled_at_s,
            attempt.delay_s,
            attempt.next_wait_s,
            attempt.outcome.value,
            None if attempt.stop is None else attempt.stop.value,
            attempt.result,
        )
        records.append(record)
        if not args.json:
            _say(progress_line(record, scale))

    live = LiveRun(
        policy,
        composed.request,
        signer=composed.signer,
        time_scale=scale,
        timeout_floor_s=policy.semantics.timeout_s,  # never compress the timeout
        rng=random.Random(seed),
        verify_tls=not args.insecure,
    )
    await live.run(on_attempt=on_attempt)
    return records


def _warn(message: str) -> None:
    _say(f"hookscope: warning: {message}")


def _say(line: str) -> None:
    from hookscope.cli.terminal import printable

    # Errors and answers can quote what the server sent.
    print(printable(line), file=sys.stderr, flush=True)
