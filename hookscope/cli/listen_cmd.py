"""`hookscope listen`: the receiver without a window."""

from __future__ import annotations

import argparse
import json
import queue
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from hookscope.cli.common import add_db_option, db_path, port_number, positive_int
from hookscope.cli.forward_options import add_target_options, target_from_args
from hookscope.core.errors import HookscopeError

if TYPE_CHECKING:
    from hookscope.core.rules import RuleSet
    from hookscope.core.tunnels.public import Exposure


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


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 < value <= 3600:  # also refuses nan
        raise argparse.ArgumentTypeError(
            f"expected more than 0 and at most 3600 seconds, got {text}"
        )
    return value


def add_parser(subparsers: Any) -> None:
    from hookscope.core.defaults import (
        DEFAULT_HEADER_TIMEOUT,
        DEFAULT_HOST,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_BODY,
        DEFAULT_PORT,
    )

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
        "--header-timeout",
        type=_timeout,
        default=DEFAULT_HEADER_TIMEOUT,
        metavar="SECONDS",
        help="close a connection whose request line and headers are not all in this long "
        f"after their first byte, or after it opened (default {DEFAULT_HEADER_TIMEOUT:g} s)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_timeout,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help="close a keep-alive connection idle this long, or one whose body stops "
        f"arriving this long (default {DEFAULT_IDLE_TIMEOUT:g} s)",
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
        "--status, --delay and --fail-first then make the answer to what no rule catches; "
        "the file's forward targets forward too",
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="fsync every group commit (survives power loss, not only crashes)",
    )
    public = parser.add_argument_group(
        "public URL",
        "Expose the receiver through a tunnel tool you already have (see `hookscope tunnels`), "
        "guarded: a secret path prefix, a rate limit per client, and signatures if asked.",
    )
    public.add_argument(
        "--public",
        choices=("ssh", "cloudflared", "ngrok", "tailscale"),
        metavar="ssh|cloudflared|ngrok|tailscale",
        help="open a tunnel and print `public url: …` on stderr",
    )
    public.add_argument(
        "--public-target",
        metavar="TARGET",
        help="ssh: localhost.run (default), pinggy, serveo or user@host[:REMOTE_PORT]; "
        "cloudflared: NAME=HOSTNAME for a named tunnel; ngrok: your reserved domain",
    )
    public.add_argument(
        "--no-secret-path",
        action="store_true",
        help="accept every path, not only those under the URL's secret /h/… prefix",
    )
    public.add_argument(
        "--rate-limit",
        type=_rate,
        default=10.0,
        metavar="N",
        help="requests per second per client, in bursts of up to 2N (default 10; 0: no limit)",
    )
    public.add_argument(
        "--require-signature",
        action="append",
        default=[],
        metavar="GLOB",
        help="requests on these paths (without the prefix) need a valid signature by the "
        "signature settings, else 401 (repeatable)",
    )
    parser.add_argument(
        "--forward",
        action="append",
        default=[],
        metavar="URL",
        help="forward every capture to URL + its path and query (repeatable: each URL gets "
        "every capture, delivered and recorded separately)",
    )
    add_target_options(parser, "--forward-", "forwarding (with --forward)")
    parser.set_defaults(run=run)


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected requests per second, got {text!r}") from None
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"expected 0 to 1000000 requests per second, got {text}")
    return value


def _targets(args: argparse.Namespace) -> list[Any]:
    """The forward targets: the rules file's, then --forward's (named by their URL)."""
    from hookscope.core.errors import HookscopeError
    from hookscope.core.forward import load_targets

    targets = list(load_targets(args.rules)) if args.rules is not None else []
    given = {
        key: value
        for key, value in vars(args).items()
        if key.startswith("forward_") and value not in (None, False)
    }
    if given and not args.forward:
        option = "--" + sorted(given)[0].replace("_", "-")
        raise HookscopeError(f"{option} goes with --forward URL")
    names = {t.name for t in targets}
    for url in args.forward:
        if url in names:
            raise HookscopeError(f"--forward {url}: given twice")
        names.add(url)
        targets.append(target_from_args(args, "forward-", url, url))
    return targets


def run(args: argparse.Namespace) -> int:
    from hookscope.core.rules import RuleSet, load_rules

    # Read the rules before anything else: a bad file stops here, with nothing opened.
    rules = None if args.rules is None else RuleSet(load_rules(args.rules))
    exposure = _exposure(args)  # likewise a missing tunnel tool or a bad target
    targets = _targets(args)
    stop = threading.Event()
    # Given back on the way out: main may run in a process that lives on (the app, tests).
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOPPING}
    try:
        return _serve(args, rules, exposure, targets, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_STOPPING = (signal.SIGINT, signal.SIGTERM)


def _serve(
    args: argparse.Namespace,
    rules: RuleSet | None,
    exposure: Exposure | None,
    targets: list[Any],
    stop: threading.Event,
) -> int:
    """Receive until `stop` is set, then close everything in order."""
    from hookscope.core.events import CapturesAdded, Event
    from hookscope.core.receiver import Receiver
    from hookscope.core.record import to_json_line
    from hookscope.core.responder import Responder
    from hookscope.core.store import Store

    store = Store.open(db_path(args), durable=args.durable)
    forwarder = None
    if targets:
        from hookscope.core.forward import Forwarder

        forwarder = Forwarder(store, targets)
        forwarder.start()  # before receiving: what an earlier run left pending resumes
    printer: threading.Thread | None = None
    lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
    if args.ndjson:
        line = to_json_line if forwarder is None else _with_outcome(forwarder)

        # The feed speaks on the store's writer thread; a slow pipe must not slow commits.
        def on_event(event: Event) -> None:
            if isinstance(event, CapturesAdded) and not event.external:  # only what it received
                lines.put("".join(line(c) + "\n" for c in event.captures))

        store.feed.subscribe(on_event)
        printer = threading.Thread(target=_print_lines, args=(lines,), name="ndjson", daemon=True)
        printer.start()

    responder = Responder(
        status=args.status, delay_s=args.delay, fail_first=args.fail_first, rules=rules
    )
    receiver = Receiver(
        store,
        host=args.host,
        port=args.port,
        max_body=args.max_body,
        responder=responder,
        forward=_pass_through(forwarder),
        header_timeout=args.header_timeout,
        idle_timeout=args.idle_timeout,
    )
    failed: list[str] = []
    try:
        receiver.start()
        print(f"listening on {receiver.url}", file=sys.stderr, flush=True)
        if exposure is not None:
            _announce(exposure, lines if args.ndjson else None, stop, failed)
            exposure.start(receiver)
        for target in targets:
            print(
                f"forwarding {target.path} to {target.url} ({target.mode})",
                file=sys.stderr,
                flush=True,
            )
        while not stop.wait(0.5):
            pass
    finally:
        if exposure is not None:
            exposure.stop()
        receiver.stop()
        if forwarder is not None:
            forwarder.stop()
        store.close()
        if printer is not None:
            lines.put(None)
            printer.join()
    if failed:
        raise HookscopeError(failed[0])
    return 0


def _exposure(args: argparse.Namespace) -> Exposure | None:
    from hookscope.core.guards import GuardSettings
    from hookscope.core.signature_settings import SignatureSettings
    from hookscope.core.tunnels import make_provider
    from hookscope.core.tunnels.public import Exposure

    guarded = args.no_secret_path or args.require_signature or args.rate_limit != 10.0
    if args.public is None:
        if guarded or args.public_target:
            raise HookscopeError(
                "--public-target, --no-secret-path, --rate-limit and --require-signature "
                "need --public"
            )
        return None
    provider = make_provider(args.public, args.public_target)
    settings = GuardSettings(
        secret_path=not args.no_secret_path,
        rate=args.rate_limit,
        burst=max(1, int(args.rate_limit * 2)),
        require_signature=tuple(args.require_signature),
    )
    signatures = None
    if settings.require_signature:
        loaded = SignatureSettings.load()  # read once, now: a bad file stops here
        signatures = lambda: loaded  # noqa: E731
    return Exposure(provider, settings, signatures=signatures)


def _announce(
    exposure: Exposure,
    lines: queue.SimpleQueue[str | None] | None,
    stop: threading.Event,
    failed: list[str],
) -> None:
    """Report the tunnel's states on stderr, and each new public URL (also as a status line
    first on stdout in --ndjson mode); a tunnel that cannot come up ends `listen`."""
    from hookscope.cli.terminal import printable
    from hookscope.core.tunnels import TunnelState, TunnelStatus

    shown = [""]  # what the tools print comes from afar: escaped before any terminal sees it

    def on_change(status: TunnelStatus) -> None:
        if status.state is TunnelState.UP:
            url = exposure.public_url(status)
            if url != shown[0]:
                shown[0] = url
                print(f"public url: {printable(url)}", file=sys.stderr, flush=True)
                if lines is not None:
                    event = {"event": "public-url", "url": url, "tunnel": status.label}
                    lines.put(json.dumps(event, separators=(",", ":")) + "\n")
            return
        if status.state is TunnelState.FAILED:  # reported once, as listen's error
            failed.append(printable(f"tunnel {status.label} failed: {status.message}"))
            stop.set()
        elif status.state is not TunnelState.STOPPED:
            print(printable(status.line()), file=sys.stderr, flush=True)

    exposure.on_change = on_change


def _pass_through(forwarder: Any) -> Any:
    """The receiver's hook when a pass-through target exists (else receiving pays nothing)."""
    return forwarder.pass_through if forwarder is not None and forwarder.pass_through else None


def _with_outcome(forwarder: Any) -> Any:
    """NDJSON lines with a `forward` field: each target's outcome (see forward_outcome)."""
    import json

    from hookscope.core.forward import forward_outcome
    from hookscope.core.model import Capture
    from hookscope.core.record import to_record

    targets = list(forwarder.targets.values())

    def line(capture: Capture) -> str:
        record = to_record(capture)
        record["forward"] = forward_outcome(capture, targets, frozenset(forwarder.paused))
        return json.dumps(record, ensure_ascii=True, separators=(",", ":"))

    return line


def _print_lines(lines: queue.SimpleQueue[str | None]) -> None:
    out = sys.stdout
    while (text := lines.get()) is not None:
        try:
            out.write(text)
            out.flush()
        except (BrokenPipeError, ValueError):
            return
