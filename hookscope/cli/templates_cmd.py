"""`hookscope templates`: the composer's template library, for `send --template NAME`."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "templates",
        help="list the webhook templates that send --template uses",
        description="List the ready-made webhooks to send with `hookscope send --template NAME`, "
        "or show one in full: method, path, headers and body, with the {{variables}} that are "
        "given fresh values at each send.",
    )
    parser.add_argument("name", metavar="NAME", nargs="?", help="show this template in full")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from hookscope.core.templates import TEMPLATES, get_template

    if args.name is not None:
        template = get_template(args.name)
        if args.json:
            print(json.dumps(template.describe()))
            return 0
        lines = [
            f"# {template.title}: {template.description}",
            f"# signed as: {template.scheme or 'you choose'}",
            f"{template.method} {template.path}",
            *(f"{name}: {value}" for name, value in template.headers),
            "",
        ]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
        sys.stdout.buffer.write(template.body_bytes + b"\n")
        return 0
    if args.json:
        print(json.dumps([template.describe() for template in TEMPLATES.values()]))
        return 0
    rows = [
        (name, f"{t.method} {t.path}", t.scheme or "-", t.title) for name, t in TEMPLATES.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[3]]))
    return 0
