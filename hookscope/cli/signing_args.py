"""Options and helpers shared by `sign`, `verify` and `send`: the scheme, the secret (from the
command line, an environment variable or a file), the body, and the shape of the generic `hmac`
scheme."""

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
    "add_secret_options",
    "body_from_stdin",
    "given_secrets",
    "non_negative_seconds",
    "read_body",
    "scheme_from_args",
    "secrets_from_args",
]

_SOURCES = "--secret, --secret-env and --secret-file"

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
    add_secret_options(parser, secret_help)


def add_secret_options(parser: argparse.ArgumentParser | Any, secret_help: str) -> None:
    """--secret S, --secret-env NAME, --secret-file F: one of them, repeated for a rotation.
    (`parser` may be an argument group.)"""
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="S",
        help=secret_help + " (other users can read it in `ps`: prefer --secret-env or "
        "--secret-file)",
    )
    parser.add_argument(
        "--secret-env",
        action="append",
        default=[],
        metavar="NAME",
        help="the secret from this environment variable (repeat for a rotation)",
    )
    parser.add_argument(
        "--secret-file",
        action="append",
        default=[],
        metavar="F",
        help="the secret from this file, '-' for standard input; one trailing newline is "
        "ignored (repeat for a rotation)",
    )


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


def secrets_from_args(args: argparse.Namespace, *, body_from_stdin: bool) -> str | list[str]:
    """The secret (or the secrets of a rotation), which must be given one way or another."""
    from hookscope.core.errors import HookscopeError

    secrets = given_secrets(args, body_from_stdin=body_from_stdin)
    if not secrets:
        raise HookscopeError(
            f"{args.scheme} needs its secret: --secret-env NAME, --secret-file F or --secret S"
        )
    return secrets[0] if len(secrets) == 1 else secrets


def given_secrets(args: argparse.Namespace, *, body_from_stdin: bool) -> list[str]:
    """The secrets from whichever one of the three options was used (none: empty). Errors
    never quote a secret."""
    from hookscope.core.errors import HookscopeError

    used = [flag for flag in ("secret", "secret_env", "secret_file") if getattr(args, flag)]
    if len(used) > 1:
        raise HookscopeError(f"give the secret with only one of {_SOURCES}")
    if args.secret_env:
        return [_from_env(name) for name in args.secret_env]
    if args.secret_file:
        if "-" in args.secret_file and body_from_stdin:
            raise HookscopeError(
                "--secret-file -: standard input already carries the body; "
                "give the body with --body-file F"
            )
        if args.secret_file.count("-") > 1:
            raise HookscopeError("--secret-file -: standard input can be read only once")
        return [_from_file(path) for path in args.secret_file]
    return list(args.secret)


def _from_env(name: str) -> str:
    from hookscope.core.errors import HookscopeError

    value = os.environ.get(name)
    if value is None:
        raise HookscopeError(f"--secret-env {name}: no such environment variable is set")
    if not value:
        raise HookscopeError(f"--secret-env {name}: the variable is empty")
    return value


def _from_file(path: str) -> str:
    """The file's text, less one trailing newline (as `echo` and editors leave one)."""
    from hookscope.core.errors import HookscopeError

    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(os.fsencode(path), "rb") as source:
                data = source.read()
    except OSError as exc:
        raise HookscopeError(f"--secret-file: cannot read {name}: {exc.strerror}") from None
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HookscopeError(f"--secret-file: {name} is not UTF-8 text") from None
    if not text:
        raise HookscopeError(f"--secret-file: {name} is empty")
    return text


def body_from_stdin(args: argparse.Namespace) -> bool:
    """Whether `read_body` will read standard input."""
    return args.body_file is None or args.body_file == "-"


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
