"""`hookscope schemes`: list the signature schemes and their headers."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schemes",
        help="list the signature schemes and their headers",
        description="List the signature schemes that sign and verify know: name, algorithm, "
        "headers, and the provider's timestamp tolerance.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from hookscope.core.signing import SCHEMES

    if args.json:
        print(json.dumps([scheme.describe() for scheme in SCHEMES.values()]))
        return 0
    width = max(len(name) for name in SCHEMES)
    for name, scheme in SCHEMES.items():
        if scheme.tolerance is None:
            clock = "no timestamp check"
        elif scheme.rejects_future:
            clock = f"timestamp within {scheme.tolerance:g} s either way"
        else:
            clock = f"timestamp at most {scheme.tolerance:g} s old"
        print(
            f"{name:<{width}}  {scheme.algorithm} {scheme.encoding}  "
            f"{', '.join(scheme.headers)}  ({clock})"
        )
    return 0
