"""`hookscope import`: read a HAR or NDJSON file into the store, all of it or nothing."""

from __future__ import annotations

import argparse
from typing import Any

from hookscope.cli.common import add_db_option, db_path


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="read a HAR or NDJSON file into the store",
        description="Read captures from a HAR file (hookscope's, browser devtools', "
        "mitmproxy's, HTTP Toolkit's) or from NDJSON capture records. The format is told by "
        "the content. A file with any bad entry imports nothing.",
    )
    parser.add_argument("file", metavar="FILE", help="the file to import ('-' for stdin)")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.formats.importer import read_file
    from hookscope.core.store import Store

    captures = read_file(args.file)  # every entry checked before the store is even opened
    path = db_path(args)
    with Store.open(path) as store:
        stored = store.add_many(captures) if captures else []
    print(f"imported {len(stored)} captures from {args.file} into {path}")
    return 0
