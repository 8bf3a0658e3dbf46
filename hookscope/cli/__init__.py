"""The command line: one argparse front over core (see the command-line contract in README).

Each command lives in its own module with `add_parser(subparsers)` and `run(args) -> int`, and
imports what it needs only when it runs, so `hookscope --version` starts fast and never loads Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hookscope import __version__
from hookscope.cli import (
    diff_cmd,
    export_cmd,
    forward_cmd,
    gui_cmd,
    import_cmd,
    listen_cmd,
    schemes_cmd,
    send_cmd,
    sign_cmd,
    simulate_cmd,
    templates_cmd,
    tunnels_cmd,
    verify_cmd,
)

__all__ = ["build_parser", "main"]

# In the order --help lists them: receive, send, sign and check, simulate, move data.
_COMMANDS = (
    gui_cmd,
    listen_cmd,
    tunnels_cmd,
    forward_cmd,
    send_cmd,
    templates_cmd,
    sign_cmd,
    verify_cmd,
    schemes_cmd,
    simulate_cmd,
    export_cmd,
    import_cmd,
    diff_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hookscope",
        description="A desktop inspector for webhooks: receive, inspect, verify, sign, send, "
        "replay and export them on your own machine.",
    )
    parser.add_argument("--version", action="version", version=f"hookscope {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # plain `hookscope` opens the app
        args = parser.parse_args(["gui"])
    from hookscope.core.errors import HookscopeError

    try:
        code: int = args.run(args)
    except HookscopeError as exc:
        print(f"hookscope: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `hookscope export | head`: the reader left; not an error
        return 0
    return code
