"""`hookscope export`: write captures out in a format."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hookscope.cli.common import add_db_option, db_path

FORMATS = ("ndjson",)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("export", help="write captures out")
    add_db_option(parser)
    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.errors import HookscopeError
    from hookscope.core.formats import EXPORTERS
    from hookscope.core.store import Store

    path = db_path(args)
    if not path.exists():
        raise HookscopeError(f"no capture store at {path}")
    exporter = EXPORTERS[args.format]
    with Store.open(path) as store:
        if args.output:
            try:
                with open(args.output, "wb") as out:
                    count = exporter(store.iter_captures(), out)
            except OSError as exc:
                raise HookscopeError(f"cannot write {args.output}: {exc.strerror}") from None
            print(f"exported {count} captures to {args.output}", file=sys.stderr)
        else:
            exporter(store.iter_captures(), sys.stdout.buffer)
            sys.stdout.flush()
    return 0
