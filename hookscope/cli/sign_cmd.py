"""`hookscope sign`: print the headers that sign a body, as one JSON object."""

from __future__ import annotations

import argparse
from typing import Any

from hookscope.cli.signing_args import (
    add_body_option,
    add_generic_options,
    add_scheme_arguments,
)


def _unix_seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole UNIX seconds, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected UNIX seconds >= 0, got {value}")
    return value


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sign",
        help="print the headers that sign a body",
        description="Sign a body as a provider does and print the headers to add, as one JSON "
        "object. The body comes from --body-file or standard input, byte for byte.",
    )
    add_scheme_arguments(
        parser,
        "the secret as the provider shows it (a private key for standard-webhooks-v1a and "
        "discord); repeat it to sign with several, as during a rotation",
    )
    parser.add_argument("--id", dest="msg_id", metavar="ID", help="message id (default: a new one)")
    parser.add_argument(
        "--timestamp", type=_unix_seconds, metavar="UNIX", help="signed time (default: now)"
    )
    parser.add_argument("--url", help="the full URL the provider calls (twilio, square)")
    add_body_option(parser)
    add_generic_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    import time

    from hookscope.cli.signing_args import (
        body_from_stdin,
        read_body,
        scheme_from_args,
        secrets_from_args,
    )
    from hookscope.core.signing import new_message_id

    scheme = scheme_from_args(args)
    secrets = secrets_from_args(args, body_from_stdin=body_from_stdin(args))  # before the body
    body = read_body(args)
    headers = scheme.sign(
        body,
        secrets,
        msg_id=args.msg_id if args.msg_id is not None else new_message_id(),
        timestamp=args.timestamp if args.timestamp is not None else int(time.time()),
        url=args.url or "",
    )
    print(json.dumps(dict(headers)))
    return 0
