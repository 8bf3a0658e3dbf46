"""`hookscope tunnels`: which tunnel tools `listen --public` can drive here, and why not."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tunnels",
        help="list the tunnel tools for a public URL, and how to install missing ones",
        description="Which of ssh, cloudflared, ngrok and tailscale are installed, what each "
        "offers to `listen --public`, and how to install the others.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.tunnels import KINDS, availability

    found = [availability(kind) for kind in KINDS]
    if args.json:
        print(
            json.dumps(
                [
                    {"name": f.kind, "available": f.available, "path": f.path, "detail": f.detail}
                    for f in found
                ]
            )
        )
    else:
        for item in found:
            print(item.line())
    return 0
