"""`hookscope verify`: check a request's signature and say why it fails (exit 0 valid, 1 not)."""

from __future__ import annotations

import argparse
import os
import re
from typing import Any

from hookscope.cli.signing_args import (
    add_body_option,
    add_generic_options,
    add_scheme_arguments,
    non_negative_seconds,
)

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token


def _request_header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    name = name.strip()
    if not colon or not _HEADER_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    # Header values are kept as latin-1 text of their bytes, as captures keep them.
    return name, os.fsencode(value.strip()).decode("latin-1")


def _unix_time(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected UNIX seconds, got {text!r}") from None


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check a signature and say why it fails",
        description="Check the signature of a request (headers from -H, body from --body-file "
        "or standard input). Exit 0 when valid, 1 when not; the reason says why, and for a "
        "bad signature hookscope tries the usual mistakes and names the one that fits.",
    )
    add_scheme_arguments(
        parser,
        "the secret as the provider shows it (the public key for standard-webhooks-v1a and "
        "discord); repeat it during a rotation: any may match",
    )
    parser.add_argument(
        "-H",
        dest="request_headers",
        action="append",
        type=_request_header,
        default=[],
        metavar="'Name: value'",
        help="a request header (repeat; names ignore case)",
    )
    parser.add_argument("--url", help="the full URL the provider calls (twilio, square)")
    parser.add_argument(
        "--now", type=_unix_time, metavar="UNIX", help="the clock, UNIX seconds (default: now)"
    )
    parser.add_argument(
        "--tolerance",
        type=non_negative_seconds,
        metavar="SECONDS",
        help="allowed timestamp age (default: the provider's own; 0 turns the check off)",
    )
    add_body_option(parser)
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    add_generic_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from hookscope.cli.signing_args import (
        body_from_stdin,
        read_body,
        scheme_from_args,
        secrets_from_args,
    )
    from hookscope.core.signing import SCHEMES

    scheme = scheme_from_args(args)
    secrets = secrets_from_args(args, body_from_stdin=body_from_stdin(args))  # before the body
    body = read_body(args)
    verdict = scheme.verify(
        args.request_headers,
        body,
        secrets,
        url=args.url or "",
        now=args.now,
        tolerance=args.tolerance,
        candidates=SCHEMES,
    )
    if args.json:
        print(json.dumps(verdict.as_dict()))
    else:
        from hookscope.cli.terminal import printable

        # The detail and the received values quote the request's headers: no raw controls.
        print(printable(f"{verdict.reason.value}: {verdict.detail}"))
        if verdict.diagnosis is not None:
            print(f"  diagnosis: {verdict.diagnosis.code}")
        for label, values in (("received", verdict.received), ("expected", verdict.expected)):
            if not verdict.valid and values:
                print(f"  {label}: {printable(' '.join(values))}")
    return 0 if verdict.valid else 1
