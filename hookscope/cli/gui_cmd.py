"""`hookscope gui` (and plain `hookscope`): the desktop app."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from hookscope.cli.common import add_db_option, db_path, port_number, positive_int
from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("gui", help="open the desktop app (the default)")
    add_gui_options(parser)
    parser.set_defaults(run=run)


def add_gui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port",
        type=port_number,
        default=None,
        help="port (default: the last one used, else 9480; 0 picks a free one)",
    )
    add_db_option(parser)
    parser.add_argument(
        "--max-body",
        type=positive_int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help="larger bodies are answered 413 (default 10 MiB)",
    )
    parser.add_argument(
        "--single-process",
        action="store_true",
        help="receive in the window's process instead of a receiver process of its own "
        "(for debugging: under load the window and the receiver then slow each other)",
    )


def run(args: argparse.Namespace) -> int:
    from hookscope.core.errors import HookscopeError

    _require_qt()
    if not _display_available():
        raise HookscopeError(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
            "for a receiver without a window use `hookscope listen`"
        )
    from hookscope.core.store import Store

    path = db_path(args)
    if path.exists():  # a damaged store is one line here, before any window opens
        Store.open(path).close()
    from hookscope.ui.app import GuiOptions, run_gui

    options = GuiOptions(
        db=path,
        host=args.host,
        port=args.port,
        max_body=args.max_body,
        single_process=args.single_process,
    )
    return run_gui(options)


def gui_main() -> int:
    """`hookscope-gui [options]`: the app's own launcher (no console window on Windows)."""
    from hookscope.cli import main

    return main(["gui", *sys.argv[1:]])


def _require_qt() -> None:
    """A headless install has no PySide6: say how to get the window instead of a traceback."""
    from hookscope.core.errors import HookscopeError

    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        raise HookscopeError(
            f"the desktop app needs PySide6, which is not installed here ({exc}); "
            "install it with `pip install 'PySide6-Essentials>=6.8,<6.12'`, "
            "or use `hookscope listen` for a receiver without a window"
        ) from None


def _display_available() -> bool:
    """Qt aborts the process when it cannot reach a display; say so in a sentence instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
