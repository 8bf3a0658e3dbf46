"""Options and helpers that several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_db_option", "db_path", "port_number", "positive_int"]


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the capture store (default: captures.db in the user data folder, or $HOOKSCOPE_DB)",
    )


def db_path(args: argparse.Namespace) -> Path:
    from hookscope.core.paths import default_db_path

    return Path(args.db).expanduser() if args.db else default_db_path()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def port_number(text: str) -> int:
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0 picks a free one), got {value}")
    return value
