"""`hookscope listen`: the receiver without a window."""

from __future__ import annotations

import argparse
import queue
import signal
import sys
import threading
from typing import Any

from hookscope.cli.common import add_db_option, db_path, port_number, positive_int


def _status(text: str) -> int:
    code = positive_int(text)
    if not 100 <= code <= 599:
        raise argparse.ArgumentTypeError(f"an HTTP status is 100 to 599, got {code}")
    return code


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"expected 0 to 3600 seconds, got {text}")
    return value


def add_parser(subparsers: Any) -> None:
    from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT

    parser = subparsers.add_parser(
        "listen",
        help="receive webhooks without a window",
        description="Accept every method on every path, store each request exactly as it "
        "arrived, and answer once it is committed.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    add_db_option(parser)
    parser.add_argument(
        "--max-body",
        type=positive_int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help="larger bodies are answered 413 and recorded as rejected (default 10 MiB)",
    )
    parser.add_argument(
        "--ndjson", action="store_true", help="print each committed capture as an NDJSON line"
    )
    parser.add_argument("--status", type=_status, default=200, help="answer every request so")
    parser.add_argument(
        "--delay", type=_seconds, default=0.0, metavar="SECONDS", help="wait before answering"
    )
    parser.add_argument(
        "--fail-first",
        type=positive_int,
        default=0,
        metavar="N",
        help="answer 503 to the first N requests of each path",
    )
    parser.add_argument(
        "--rules",
        metavar="FILE",
        help="answer by the fault rules in FILE (JSON, as the app saves them) first; "
        "--status, --delay and --fail-first then make the answer to what no rule catches",
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="fsync every group commit (survives power loss, not only crashes)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.events import CapturesAdded, Event
    from hookscope.core.receiver import Receiver
    from hookscope.core.record import to_json_line
    from hookscope.core.responder import Responder
    from hookscope.core.rules import RuleSet, load_rules
    from hookscope.core.store import Store

    # Read the rules before anything else: a bad file stops here, with nothing opened.
    rules = None if args.rules is None else RuleSet(load_rules(args.rules))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    store = Store.open(db_path(args), durable=args.durable)
    printer: threading.Thread | None = None
    lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
    if args.ndjson:
        # The feed speaks on the store's writer thread; a slow pipe must not slow commits.
        def on_event(event: Event) -> None:
            if isinstance(event, CapturesAdded):
                lines.put("".join(to_json_line(c) + "\n" for c in event.captures))

        store.feed.subscribe(on_event)
        printer = threading.Thread(target=_print_lines, args=(lines,), name="ndjson", daemon=True)
        printer.start()

    responder = Responder(
        status=args.status, delay_s=args.delay, fail_first=args.fail_first, rules=rules
    )
    receiver = Receiver(
        store, host=args.host, port=args.port, max_body=args.max_body, responder=responder
    )
    try:
        receiver.start()
        print(f"listening on {receiver.url}", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        receiver.stop()
        store.close()
        if printer is not None:
            lines.put(None)
            printer.join()
    return 0


def _print_lines(lines: queue.SimpleQueue[str | None]) -> None:
    out = sys.stdout
    while (text := lines.get()) is not None:
        try:
            out.write(text)
            out.flush()
        except (BrokenPipeError, ValueError):
            return
