"""`hookscope export`: write captures out in a format, optionally redacted."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hookscope.cli.common import add_db_option, db_path

FORMATS = ("har", "ndjson", "json", "csv", "curl")


def add_parser(subparsers: Any) -> None:
    from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_PORT

    parser = subparsers.add_parser(
        "export",
        help="write captures out",
        description="Write captures out as HAR 1.2, NDJSON capture records, a JSON array, CSV "
        "metadata rows or a curl script. Unredacted exports keep every body byte for byte.",
    )
    add_db_option(parser)
    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here, readable by you only (default: stdout); a symbolic link is refused",
    )
    parser.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="with -o: write through a symbolic link to the file it points to",
    )
    parser.add_argument(
        "--filter",
        metavar="EXPR",
        default="",
        help="only captures matching a query in the inspector's filter language, e.g. "
        "'method:POST status:>=400' or 'sig:invalid' (signatures checked with the app's "
        "signature settings; see the README)",
    )
    redaction = parser.add_argument_group(
        "redaction",
        "mask secrets before they leave: Authorization, Cookie, Set-Cookie, signature and "
        "API-key headers, and query parameters, form and JSON fields named like secrets, "
        "tokens, passwords or API keys",
    )
    redaction.add_argument(
        "--redact", action="store_true", help="apply the default redaction profile"
    )
    redaction.add_argument(
        "--redact-header",
        action="append",
        default=[],
        metavar="NAME",
        help="also mask this header (any case; globs like 'X-Acme-*'); implies --redact",
    )
    redaction.add_argument(
        "--redact-query",
        action="append",
        default=[],
        metavar="NAME",
        help="also mask this query parameter or form field (globs allowed); implies --redact",
    )
    redaction.add_argument(
        "--redact-json",
        action="append",
        default=[],
        metavar="PATH",
        help="also mask what this JSONPath selects in JSON bodies, e.g. '$.data.card.number' "
        "or '$..email'; implies --redact",
    )
    parser.add_argument(
        "--url",
        default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
        help="curl only: the base URL the script sends to, the capture's path and query "
        "appended (default: hookscope's own receiver; the script also takes it as $1)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hookscope.core.errors import HookscopeError
    from hookscope.core.filters import compile_filter
    from hookscope.core.formats import EXPORTERS, ExportOptions
    from hookscope.core.formats.curl import validate_base_url
    from hookscope.core.redact import RedactionProfile, Redactor
    from hookscope.core.store import Store
    from hookscope.core.store.filtering import select_ids

    # A bad query stops here, before the store is opened. sig: checks with the app's
    # signature settings, as the inspector's ✓ and ✗ do.
    signatures = None
    if "sig:" in args.filter.lower():
        from hookscope.core.signature_settings import SignatureSettings

        signatures = SignatureSettings.load()
    query = compile_filter(args.filter, signatures=signatures)
    redactor = None
    if args.redact or args.redact_header or args.redact_query or args.redact_json:
        profile = RedactionProfile(
            headers=tuple(args.redact_header),
            params=tuple(args.redact_query),
            json_paths=tuple(args.redact_json),
        )
        redactor = Redactor(profile)
    options = ExportOptions(base_url=validate_base_url(args.url), redactor=redactor)

    path = db_path(args)
    if not path.exists():
        raise HookscopeError(f"no capture store at {path}")
    if path.is_file() and path.stat().st_size == 0:  # opening it would make it an empty store
        raise HookscopeError(f"{path} is empty: it is not a capture store")
    exporter = EXPORTERS[args.format]
    with Store.open(path) as store:
        if query.matches_all:
            captures = store.iter_captures()
        else:
            captures = store.iter_captures(select_ids(store, query, store.all_summaries()))
        if args.output:
            from hookscope.cli.output_file import open_private

            try:
                with open_private(args.output, follow_symlinks=args.follow_symlinks) as out:
                    count = exporter(captures, out, options)
            except OSError as exc:
                raise HookscopeError(f"cannot write {args.output}: {exc.strerror}") from None
            print(f"exported {count} captures to {args.output}", file=sys.stderr)
        else:
            from hookscope.cli.terminal import stdout_for_bytes

            stdout = stdout_for_bytes()  # exact bytes in a pipe; escaped on a terminal
            exporter(captures, stdout, options)
            if stdout is sys.stdout.buffer:
                stdout.flush()
            else:
                stdout.close()
    return 0
