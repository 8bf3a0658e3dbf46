"""`hookscope diff A B`: what differs between two stored captures (as diff(1): exit 1 if any)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hookscope.cli.common import add_db_option, db_path, positive_int


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="what differs between two captures (JSON bodies by path)",
        description="Compare two stored captures: request line, headers and body; JSON bodies "
        "are compared by path with key order ignored. Exit 0 if they are the same, 1 if not.",
    )
    parser.add_argument("first", type=positive_int, metavar="ID", help="a capture's id")
    parser.add_argument("second", type=positive_int, metavar="ID", help="the other capture's id")
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.diff import diff_captures
    from hookscope.core.errors import HookscopeError
    from hookscope.core.store import Store

    path = db_path(args)
    if not path.exists():
        raise HookscopeError(f"no capture store at {path}")
    with Store.open(path) as store:
        first, second = store.get(args.first), store.get(args.second)
    for wanted, found in ((args.first, first), (args.second, second)):
        if found is None:
            raise HookscopeError(f"no capture #{wanted} in {path}")
    assert first is not None
    assert second is not None
    diff = diff_captures(first, second)
    if args.json:
        document = {
            "identical": diff.identical,
            "body": diff.body_mode,
            "truncated": diff.truncated,
            "changes": [
                {
                    "where": c.where,
                    "path": c.path,
                    "kind": c.kind,
                    "before": c.before,
                    "after": c.after,
                }
                for c in diff.changes
            ],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        _print_table(diff, args.first, args.second)
    return 0 if diff.identical else 1


def _print_table(diff: Any, first: int, second: int) -> None:
    from hookscope.cli.terminal import printable

    out = sys.stdout
    if diff.identical:
        out.write(f"#{first} and #{second} are the same\n")
        return
    for change in diff.changes:
        sign = {"added": "+", "removed": "-", "changed": "~", "type": "~"}[change.kind]
        line = f"{sign} {change.where} {change.path}"
        if change.kind == "added":
            line += f": {change.after}"
        elif change.kind == "removed":
            line += f": {change.before}"
        else:
            line += f": {change.before} -> {change.after}"
        out.write(printable(line) + "\n")  # the values are the senders': no raw controls
    if diff.truncated:
        out.write("(only the first differences are listed)\n")
