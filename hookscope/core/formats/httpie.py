"""Copy as HTTPie: one `http` command that sends a capture again, the body byte for byte.

A text body goes in `--raw '…'`; any other body (binary, control characters, large) is piped in
as base64 through `base64 -d`, as the curl builder does. Headers become `Name:value` items, in
order with duplicates; `Name;` sends an empty value and `Name:` with nothing after it removes
one of HTTPie's own defaults (`User-Agent`, `Accept`, `Accept-Encoding`, `Connection`, and the
JSON `Content-Type` it adds to a body) that the capture did not have.

HTTPie sends header values as UTF-8 and reads `\\` before `:;=@` as an escape; a header it cannot
carry exactly is refused with a message that suggests curl instead. Needs HTTPie 3.0 or later.
"""

from __future__ import annotations

import base64
import re

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.curl import not_replayable, validate_base_url
from hookscope.core.formats.options import DEFAULT_BASE_URL
from hookscope.core.formats.replay_parts import kept_headers, sends_body
from hookscope.core.formats.shell import literal_text, single_quote
from hookscope.core.formats.urls import origin_form
from hookscope.core.model import Capture
from hookscope.core.redact import Redactor

__all__ = ["httpie_command"]

# HTTPie's request items split at their first separator (`:`, `:=`, `:@`, `=`, `@`, …); a
# backslash before one of these characters makes it literal and is dropped.
_SPECIAL = ":;=@"
# An odd run of backslashes before one of them: HTTPie would eat the last one as an escape, and
# no spelling gives it back (an even run survives: HTTPie keeps `\\` pairs as they are).
_AMBIGUOUS = re.compile(r"(?:^|[^\\])(?:\\\\)*\\[:;=@]")
_DEFAULTS = ("User-Agent", "Accept", "Accept-Encoding", "Connection")
_DOT_SEGMENT = re.compile(r"(^|/)\.\.?(/|$|\?)")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def httpie_command(
    capture: Capture, base_url: str = DEFAULT_BASE_URL, redactor: Redactor | None = None
) -> str:
    """One shell command that sends the capture again to `base_url` + its path and query."""
    if redactor is not None:
        capture, _ = redactor.redact(capture)
    reason = not_replayable(capture)
    if reason:
        raise HookscopeError(f"this capture cannot be sent with HTTPie: it was {reason}")
    base = validate_base_url(base_url)
    if not capture.method.isascii() or not capture.method.isalpha():
        raise HookscopeError(
            f"HTTPie cannot send the method {capture.method!r}: copy as curl instead"
        )
    target = origin_form(capture.target)
    if problem := _target_problem(target):
        raise HookscopeError(f"HTTPie would change the request target ({problem}): copy as curl")
    options = ["http"]
    body = capture.body
    has_body = sends_body(capture)
    text = literal_text(body) if has_body else None
    if not has_body or text is not None:
        options.append("--ignore-stdin")  # a script's or CI's stdin must not become the body
    if text is not None:
        options.append("--raw " + single_quote(text))
    if _DOT_SEGMENT.search(target.split("?", 1)[0]):
        options.append("--path-as-is")
    options += [capture.method.upper(), single_quote(base + target)]
    headers = kept_headers(capture)
    items = [single_quote(_item(name, value)) for name, value in headers]
    present = {name.lower() for name, _ in headers}
    removed = [*_DEFAULTS, *(["Content-Type"] if has_body else [])]
    items += [f"{name}:" for name in removed if name.lower() not in present]
    command = " \\\n  ".join([" ".join(options), *items])
    if has_body and text is None:
        encoded = base64.b64encode(body).decode("ascii")
        return f"printf %s '{encoded}' | base64 -d | {command}"
    return command


def _target_problem(target: str) -> str | None:
    """Why HTTPie (through requests and urllib3) would send another target, or None. It
    normalises percent-encoding (`%e2` to `%E2`, `%41` to `A`, `[` to `%5B`) and drops a bare
    `?`: the same resource. It cannot send a `#`, a bad `%` escape, or raw bytes."""
    if "#" in target:
        return "a '#' would start a fragment"
    if _BAD_ESCAPE.search(target):
        return "a '%' that starts no escape would be encoded"
    if not all("!" <= ch <= "~" for ch in target):
        return "it holds spaces, controls or bytes beyond ASCII"
    return None


def _item(name: str, value: str) -> str:
    """`Name:value` (or `Name;` for an empty value) as HTTPie parses it back exactly."""
    if not name.isascii() or any(ch in name for ch in _SPECIAL + "\\"):
        raise HookscopeError(f"HTTPie cannot send the header name {name!r}: copy as curl instead")
    text = _utf8_text(name, value)
    if _AMBIGUOUS.search(text):
        raise HookscopeError(
            f"HTTPie would read the backslashes in {name} as escapes: copy as curl instead"
        )
    if not text:
        return f"{name};"
    if text[0] in "=@":  # `Name:=…` would be raw JSON data, `Name:@…` a header read from a file
        text = "\\" + text
    return f"{name}:{text}"


def _utf8_text(name: str, value: str) -> str:
    """The header value's wire bytes as the UTF-8 text HTTPie will encode back to them."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise HookscopeError(
            f"HTTPie sends header values as UTF-8, and {name} holds other bytes: "
            "copy as curl instead"
        ) from None
