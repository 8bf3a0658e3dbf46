"""Copy as Python: a short httpx script that sends a capture again, the body byte for byte.

A text body is a string literal encoded as UTF-8; any other body (binary, control characters,
large) is base64 decoded at run time. Headers are a list of pairs, so order, case and duplicates
survive; values beyond ASCII are written as bytes, which httpx sends unchanged. The request is
built with `httpx.Request`, which adds no `User-Agent`, `Accept` or `Accept-Encoding` of its
own. A target that httpx would re-encode goes out exactly through httpcore's `target` extension.
"""

from __future__ import annotations

import base64

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.curl import not_replayable, validate_base_url
from hookscope.core.formats.options import DEFAULT_BASE_URL
from hookscope.core.formats.replay_parts import kept_headers, sends_body
from hookscope.core.formats.shell import literal_text
from hookscope.core.formats.urls import origin_form
from hookscope.core.model import Capture
from hookscope.core.redact import Redactor

__all__ = ["python_httpx_snippet"]

_LINE = 76  # base64 characters per source line


def python_httpx_snippet(
    capture: Capture, base_url: str = DEFAULT_BASE_URL, redactor: Redactor | None = None
) -> str:
    """A Python script (httpx) that sends the capture to `base_url` + its path and query and
    prints the answer's status."""
    if redactor is not None:
        capture, _ = redactor.redact(capture)
    reason = not_replayable(capture)
    if reason:
        raise HookscopeError(f"this capture cannot be sent again: it was {reason}")
    base = validate_base_url(base_url)
    target = _prefixed(base, origin_form(capture.target))
    url, exact_target = _url_for(base, target)
    label = f"capture {capture.id}" if capture.id is not None else "a capture"
    lines = [f"# {label} sent again by httpx, the body byte for byte (made by hookscope)"]
    body_lines: list[str] = []
    has_body = sends_body(capture)
    text = literal_text(capture.body) if has_body else None
    if has_body and text is None:
        lines.append("import base64")
        lines.append("")
        chunks = _chunks(base64.b64encode(capture.body).decode("ascii"))
        body_lines = ["body = base64.b64decode(", *(f'    "{c}"' for c in chunks), ")"]
    elif has_body:
        body_lines = [f'body = {text!r}.encode("utf-8")']
    lines += ["import httpx", "", f"url = {url!r}", "headers = ["]
    lines += [f"    {_pair(name, value)}," for name, value in kept_headers(capture)]
    lines.append("]")
    lines += body_lines
    arguments = [repr(capture.method), "url", "headers=headers"]
    if has_body:
        arguments.append("content=body")
    if exact_target is not None:
        arguments.append(f"extensions={{'target': {exact_target!r}}}")
    lines += [
        f"request = httpx.Request({', '.join(arguments)})",
        "with httpx.Client() as client:",
        "    response = client.send(request)",
        "print(response.status_code, response.reason_phrase)",
    ]
    return "\n".join(lines) + "\n"


def _prefixed(base: str, target: str) -> str:
    """The target under the base URL's own path (`http://h/pre` + `/x` is `/pre/x`)."""
    after_scheme = base.split("://", 1)[1]
    slash = after_scheme.find("/")
    prefix = after_scheme[slash:].rstrip("/") if slash >= 0 else ""
    return prefix + target if target.startswith("/") else target


def _url_for(base: str, target: str) -> tuple[str, bytes | None]:
    """The URL to write, and the exact target bytes when httpx would send others."""
    import httpx

    origin = base.split("://", 1)[0] + "://" + base.split("://", 1)[1].split("/", 1)[0]
    wanted = target.encode("latin-1")
    url = origin + target
    try:
        if httpx.URL(url).raw_path == wanted:
            return url, None
    except (httpx.InvalidURL, UnicodeError):
        pass
    return origin + "/", wanted


def _pair(name: str, value: str) -> str:
    """`("Name", "value")`, with bytes where the text is not ASCII (latin-1: the wire bytes)."""
    key = repr(name) if name.isascii() else repr(name.encode("latin-1"))
    text = repr(value) if value.isascii() else repr(value.encode("latin-1"))
    return f"({key}, {text})"


def _chunks(text: str) -> list[str]:
    return [text[i : i + _LINE] for i in range(0, len(text), _LINE)] or [""]
