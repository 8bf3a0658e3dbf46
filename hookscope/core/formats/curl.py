"""curl: a POSIX shell script with one curl command per capture, and the single-command
builder behind "copy as curl".

Bodies go out byte for byte: UTF-8 text as a single-quoted `--data-raw` word, anything else
(binary, control characters, large bodies) as base64 in a here-document piped through
`base64 -d` into `--data-binary @-`. Header lines and request targets that are not plain ASCII
are spelled with `printf` octal escapes, so the script is ASCII apart from text bodies and no
byte depends on the shell's locale. Targets that curl would re-encode (spaces, bytes beyond
ASCII) are sent exactly with `--request-target`.

Headers are kept in order, duplicates and case included, except `Content-Length`, `Host` (curl
writes both for the target it is given) and the hop-by-hop headers. Headers curl would add on
its own (`User-Agent`, `Accept`, `Content-Type`, `Expect`) are suppressed when the capture did
not have them.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import IO
from urllib.parse import urlsplit

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.options import DEFAULT_BASE_URL, ExportOptions
from hookscope.core.formats.shell import comment, literal_text, quote_bytes, single_quote
from hookscope.core.formats.urls import origin_form
from hookscope.core.model import NOT_COPIED_ON_RESEND, Capture, format_timestamp
from hookscope.core.redact import Redactor

__all__ = ["DROPPED_HEADERS", "curl_command", "not_replayable", "validate_base_url", "write"]

DROPPED_HEADERS = NOT_COPIED_ON_RESEND  # curl writes Host and Content-Length for the new target
_HEREDOC = "HOOKSCOPE_BODY"  # base64 never contains `_`, so the body cannot end the here-doc
_BASE_URL = re.compile(
    r"https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:/[A-Za-z0-9\-._~!&()*+,;=:@%/]*)?"
)

_SCRIPT_HEAD = """#!/bin/sh
# Requests exported by hookscope, replayed with curl byte for byte.
# Usage: sh THIS_FILE [BASE_URL]    (default BASE_URL: {default})
# Each request goes to BASE_URL followed by its original path and query. Needs curl and base64.
HOOKSCOPE_URL="${{1:-{default}}}"
HOOKSCOPE_URL="${{HOOKSCOPE_URL%/}}"
case "$HOOKSCOPE_URL" in
  *://*/*) HOOKSCOPE_PREFIX="/${{HOOKSCOPE_URL#*://*/}}" ;;
  *) HOOKSCOPE_PREFIX="" ;;
esac
"""


def validate_base_url(url: str) -> str:
    """The base URL without a trailing slash; HookscopeError unless it is http(s), with no
    query or fragment (the capture's own path and query are appended)."""
    if not _BASE_URL.fullmatch(url):
        raise HookscopeError(
            f"the curl target must be an http:// or https:// URL with no query, got {url!r}"
        )
    return url.rstrip("/")


def not_replayable(capture: Capture) -> str | None:
    """Why a capture cannot be replayed, or None."""
    if not capture.method or not capture.target:
        return f"not a complete HTTP request ({capture.rejected or 'no method or target'})"
    if capture.rejected:
        return f"refused by hookscope ({capture.rejected}), so its body was not kept"
    return None


def curl_command(
    capture: Capture, base_url: str = DEFAULT_BASE_URL, redactor: Redactor | None = None
) -> str:
    """One shell command that sends the capture again to `base_url` + its path and query."""
    if redactor is not None:
        capture, _ = redactor.redact(capture)
    reason = not_replayable(capture)
    if reason:
        raise HookscopeError(f"this capture cannot be sent with curl: it was {reason}")
    return _command(capture, _LiteralBase(validate_base_url(base_url)), [], heredoc=False)


def write(captures: Iterable[Capture], out: IO[bytes], options: ExportOptions | None = None) -> int:
    """A shell script: `sh script.sh [BASE_URL]` replays every capture in order."""
    options = options or ExportOptions()
    base = validate_base_url(options.base_url)
    out.write(_SCRIPT_HEAD.format(default=base).encode("ascii"))
    written = skipped = 0
    for number, original in enumerate(captures, start=1):
        capture, report = options.prepare(original)
        label = f"capture {capture.id}" if capture.id is not None else f"capture #{number}"
        what = f"{capture.method} {capture.target}".strip()
        lines = [f"# {label}: {what} at {format_timestamp(capture.received_us)}"]
        if report is not None and report.masked:
            lines.append(f"# {report.note()}")
        reason = not_replayable(capture)
        if reason:
            lines.append(f"# skipped: {reason}")
            skipped += 1
            out.write(("\n" + _comments(lines)).encode("ascii", "replace"))
            continue
        extra = [
            "--silent",
            "--show-error",
            "--output /dev/null",
            f"--write-out '{label}: %{{http_code}}\\n'",
        ]
        command = _command(capture, _ScriptBase(), extra, heredoc=True)
        text = "\n" + _comments(lines) + command + "\n"
        out.write(text.encode("utf-8"))
        written += 1
    out.write(f"\n# {written} requests, {skipped} skipped\n".encode("ascii"))
    return written


def _comments(lines: list[str]) -> str:
    return "".join(f"{comment(line)}\n" for line in lines)


class _LiteralBase:
    """A base URL known now (copy as curl)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.prefix = urlsplit(base_url).path.rstrip("/")

    def url(self, target: str) -> str:
        return single_quote(self.base_url + target)

    def request_target(self, target: str) -> str:
        prefix = self.prefix if target.startswith("/") else ""
        return quote_bytes((prefix + target).encode("latin-1"))

    def bare(self) -> str:
        return single_quote(self.base_url)


class _ScriptBase:
    """A base URL chosen when the script runs (`$HOOKSCOPE_URL`, its path `$HOOKSCOPE_PREFIX`)."""

    def url(self, target: str) -> str:
        return '"$HOOKSCOPE_URL"' + single_quote(target)

    def request_target(self, target: str) -> str:
        prefix = '"$HOOKSCOPE_PREFIX"' if target.startswith("/") else ""
        return prefix + quote_bytes(target.encode("latin-1"))

    def bare(self) -> str:
        return '"$HOOKSCOPE_URL"'


def _command(
    capture: Capture, base: _LiteralBase | _ScriptBase, extra: list[str], *, heredoc: bool
) -> str:
    """One curl command. A body that needs base64 comes from a here-document in scripts
    (wrapped, readable) and from `printf` in a copied command, which then stays one command
    line that a user can extend with more options."""
    names = {name.lower() for name, _ in capture.headers}
    method = capture.method
    head = ["curl", *extra, "--globoff", "--path-as-is"]
    is_head = method.upper() == "HEAD"
    if is_head:
        head.append("--head")  # `-X HEAD` would make curl wait for a body that never comes
    elif method != "GET" or capture.body:
        head.append("-X " + quote_bytes(method.encode("latin-1")))
    if capture.http_version == "1.0":
        head.append("--http1.0")
    lines = [" ".join(head)]
    for name, value in capture.headers:
        if name.lower() not in DROPPED_HEADERS:
            line = f"{name}: {value}" if value else f"{name};"  # `Name;` sends an empty value
            lines.append("-H " + quote_bytes(line.encode("latin-1")))
    sends_body = not is_head and (
        bool(capture.body) or "content-length" in names or "transfer-encoding" in names
    )
    suppressed = ["user-agent", "accept"] + (["content-type", "expect"] if sends_body else [])
    lines += [f"-H '{_canonical(name)}:'" for name in suppressed if name not in names]
    piped = b""
    if sends_body:
        text = literal_text(capture.body)
        if text is not None:
            lines.append("--data-raw " + single_quote(text))
        else:
            lines.append("--data-binary @-")
            piped = capture.body
    target = origin_form(capture.target)  # absolute-form (proxy) targets lose the authority
    if _url_safe(target):
        lines.append(base.url(target))
    else:
        lines += ["--request-target " + base.request_target(target), base.bare()]
    command = " \\\n  ".join(lines)
    if piped and heredoc:
        encoded = base64.encodebytes(piped).decode("ascii")
        return f"base64 -d <<'{_HEREDOC}' | {command}\n{encoded}{_HEREDOC}"
    if piped:
        encoded = base64.b64encode(piped).decode("ascii")
        return f"printf %s '{encoded}' | base64 -d | {command}"
    return command


def _url_safe(target: str) -> bool:
    """curl passes printable ASCII through untouched (with --globoff and --path-as-is); it
    re-encodes spaces and bytes beyond ASCII, and `#` would start a fragment."""
    return target.startswith("/") and all("!" <= ch <= "~" and ch != "#" for ch in target)


def _canonical(lname: str) -> str:
    return "-".join(part.capitalize() for part in lname.split("-"))
