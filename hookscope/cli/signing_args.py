"""Options and helpers shared by `sign` and `verify`: the scheme, the secret, the body, and the
shape of the generic `hmac` scheme."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hookscope.core.signing import Scheme

__all__ = [
    "add_body_option",
    "add_generic_options",
    "add_scheme_arguments",
    "non_negative_seconds",
    "read_body",
    "scheme_from_args",
    "secrets_from_args",
]

_GENERIC = {
    "sig_header": "--header",
    "algorithm": "--algorithm",
    "encoding": "--encoding",
    "template": "--template",
    "prefix": "--prefix",
    "timestamp_header": "--timestamp-header",
    "id_header": "--id-header",
}


def non_negative_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value >= 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"expected seconds >= 0, got {text}")
    return value


def add_scheme_arguments(parser: argparse.ArgumentParser, secret_help: str) -> None:
    parser.add_argument("scheme", metavar="SCHEME", help="a scheme that `hookscope schemes` lists")
    parser.add_argument("--secret", action="append", required=True, metavar="S", help=secret_help)


def add_body_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--body-file",
        metavar="F",
        help="the body, byte for byte (default, or '-': standard input)",
    )


def add_generic_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "the generic hmac scheme",
        "Describe a signature that no named scheme covers. The template is what is signed, "
        "with {body}, {timestamp}, {id} and {url}.",
    )
    group.add_argument("--header", dest="sig_header", metavar="NAME", help="carries the signature")
    group.add_argument("--algorithm", choices=("sha1", "sha256", "sha512"), help="default sha256")
    group.add_argument("--encoding", choices=("hex", "base64"), help="default hex")
    group.add_argument("--template", help="what is signed (default '{body}')")
    group.add_argument("--prefix", metavar="P", help="before the signature, e.g. 'sha256='")
    group.add_argument(
        "--timestamp-header", metavar="NAME", help="carries {timestamp}, if the template signs it"
    )
    group.add_argument("--id-header", metavar="NAME", help="carries {id}, if the template signs it")


def scheme_from_args(args: argparse.Namespace) -> Scheme[Any, Any]:
    from hookscope.core.errors import HookscopeError
    from hookscope.core.signing import GenericHmac, get_scheme

    given = {dest: getattr(args, dest) for dest in _GENERIC if getattr(args, dest) is not None}
    if args.scheme != "hmac":
        if given:
            flags = ", ".join(_GENERIC[dest] for dest in given)
            raise HookscopeError(f"{flags} describe the generic hmac scheme, not {args.scheme}")
        return get_scheme(args.scheme)
    if "sig_header" not in given:
        raise HookscopeError("the hmac scheme needs --header NAME: the header with the signature")
    options = {"header": given.pop("sig_header"), **given}
    return GenericHmac(**options)


def secrets_from_args(args: argparse.Namespace) -> str | list[str]:
    secrets: list[str] = args.secret
    return secrets[0] if len(secrets) == 1 else secrets


def read_body(args: argparse.Namespace) -> bytes:
    """The body bytes from --body-file, or standard input for '-' or no option."""
    from hookscope.core.errors import HookscopeError

    path = args.body_file
    if path is None or path == "-":
        if sys.stdin.isatty():
            print(
                "hookscope: reading the body from standard input (end with Ctrl-D)", file=sys.stderr
            )
        return sys.stdin.buffer.read()
    try:
        with open(os.fsencode(path), "rb") as source:
            return source.read()
    except OSError as exc:
        raise HookscopeError(f"cannot read {path}: {exc.strerror}") from None
