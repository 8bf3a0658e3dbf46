"""`hookscope forward`: deliver stored captures again, to a handler, recorded in the outbox.

    hookscope forward 12 15 --to http://localhost:3000
    hookscope forward --filter 'path:/hooks/stripe status:>=500' --to http://localhost:3000

Each capture is a new delivery of its own (the store shows it beside earlier ones), sent with
its exact body and headers, optionally re-signed, retried on `--retry POLICY` (default: one
attempt). One line per capture on stdout; progress on stderr when it is a terminal. Exit 0 when
every capture was delivered (2xx), 1 when any was not.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from hookscope.cli.common import add_db_option, db_path
from hookscope.cli.forward_options import add_target_options, target_from_args

__all__ = ["add_parser", "run"]

MANUAL_TARGET = "manual"  # the target name deliveries made by this command are recorded under


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "forward",
        help="deliver stored captures again to a handler",
        description="Deliver stored captures to URL + their path and query, byte for byte, "
        "each attempt recorded in the store. Give capture ids, or --filter EXPR.",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="capture ids")
    parser.add_argument("--to", required=True, metavar="URL", help="the handler's base URL")
    parser.add_argument(
        "--filter", metavar="EXPR", help="every capture matching a query in the filter language"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per attempt")
    add_db_option(parser)
    add_target_options(parser, "--", "delivery")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.errors import HookscopeError
    from hookscope.core.filters import compile_filter
    from hookscope.core.forward import AttemptEvent, Forwarder, Mode
    from hookscope.core.retry.policy import fixed
    from hookscope.core.store import Store
    from hookscope.core.store.filtering import select_ids

    if not args.ids and args.filter is None:
        raise HookscopeError("give capture ids or --filter EXPR (--filter '' for every capture)")
    if args.ids and args.filter is not None:
        raise HookscopeError("give capture ids or --filter EXPR, not both")
    ids = [_capture_id(text) for text in args.ids]
    query = None if args.filter is None else compile_filter(args.filter)
    target = target_from_args(args, "", args.to, MANUAL_TARGET, Mode.QUEUE)
    if args.retry is None:
        from dataclasses import replace

        target = replace(target, policy=fixed(1, 0.0))
    path = db_path(args)
    if not path.exists():
        raise HookscopeError(f"no capture store at {path}")

    with Store.open(path) as store:
        if query is not None:
            ids = list(select_ids(store, query, store.all_summaries()))
        else:
            missing = [i for i in ids if store.get(i) is None]
            if missing:
                raise HookscopeError(f"no capture with id {missing[0]} in {path}")
        if not ids:
            print("no capture matches", file=sys.stderr)
            return 0
        done = threading.Event()
        finished: dict[int, AttemptEvent] = {}
        lock = threading.Lock()
        progress = sys.stderr.isatty()

        def on_attempt(event: AttemptEvent) -> None:
            _report(event, args.json)
            if event.state != "pending":
                with lock:
                    finished[event.delivery_id] = event
                    if progress:
                        print(f"\rforwarded {len(finished)}/{queued}", end="", file=sys.stderr)
                    if len(finished) >= queued:
                        done.set()

        forwarder = Forwarder(store, [target], intake=False, resume=False)
        forwarder.subscribe(on_attempt)
        forwarder.start()
        try:
            queued = len(ids)
            made = forwarder.enqueue(ids, MANUAL_TARGET)
            queued = made
            with lock:
                if len(finished) >= queued:
                    done.set()
            done.wait()
        finally:
            forwarder.stop()
        if progress:
            print(file=sys.stderr)
    failed = sum(1 for e in finished.values() if e.state != "delivered")
    skipped = len(ids) - made
    summary = f"{len(finished) - failed} of {len(ids)} delivered"
    if skipped:
        summary += f" ({skipped} refused by hookscope when received, so not forwarded)"
    print(summary, file=sys.stderr)
    return 1 if failed or skipped else 0


def _capture_id(text: str) -> int:
    from hookscope.core.errors import HookscopeError

    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise HookscopeError(f"{text!r} is not a capture id") from None
    return value


def _report(event: Any, as_json: bool) -> None:
    sent = event.sent
    if as_json:
        record = {
            "capture_id": event.capture_id,
            "attempt": event.n,
            "url": sent.url,
            "status": sent.status,
            "error": sent.error,
            "duration_ms": round(sent.duration_ms, 3),
            "state": event.state,
            "next_in_s": event.next_in_s,
        }
        print(json.dumps(record), flush=True)
        return
    answer = str(sent.status) if sent.status is not None else sent.error
    line = f"#{event.capture_id} {sent.method} {sent.url} → {answer} ({sent.duration_ms:.0f} ms)"
    if event.next_in_s is not None:
        line += f", next attempt in {event.next_in_s:g} s"
    print(line, flush=True)
