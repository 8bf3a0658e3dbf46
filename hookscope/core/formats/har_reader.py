"""Read HAR files into captures: our own (exactly), and those of browser devtools, mitmproxy
and HTTP Toolkit (tolerantly: their shapes differ where the spec is loose or silent).

Tolerated: headers as `{"name", "value"}` objects or `[name, value]` pairs; HTTP/2 pseudo-headers
(dropped, with `Host` taken from `:authority` or the URL when absent); `httpVersion` spelled
`HTTP/1.1`, `http/2.0`, `h2` or empty; `null` timings; request bodies as `postData.text`, as
base64 marked by `_encoding`, `encoding` or `_textBase64`, or only as form `params`; responses
without a body. A problem names the entry (`log.entries[3].request: …`), and nothing is
returned unless every entry reads.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.har import HOOKSCOPE_FIELD
from hookscope.core.formats.urls import target_from_url
from hookscope.core.model import Capture, Header, parse_timestamp
from hookscope.core.origin import origin_of, valid_origin
from hookscope.core.record_limits import (
    LimitError,
    check_body_size,
    check_id,
    check_milliseconds,
    check_received_us,
    check_status,
)

__all__ = ["read", "read_document"]

_FORM = "application/x-www-form-urlencoded"
T = TypeVar("T")


class _EntryError(ValueError):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(problem)
        self.where = where


def _limited(where: str, check: Callable[..., T], *args: Any) -> T:
    try:
        return check(*args)
    except LimitError as exc:
        raise _EntryError(where, str(exc)) from None


def read(data: bytes, source: str = "input") -> list[Capture]:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise HookscopeError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except (UnicodeDecodeError, RecursionError):
        raise HookscopeError(f"{source}: not a JSON text") from None
    return read_document(document, source)


def read_document(document: object, source: str = "input") -> list[Capture]:
    """Captures from a parsed HAR document; raises HookscopeError naming the bad entry."""
    log = document.get("log") if isinstance(document, dict) else None
    if not isinstance(log, dict):
        raise HookscopeError(f"{source}: not a HAR file: no 'log' object")
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise HookscopeError(f"{source}: HAR has no 'log.entries' list")
    captures = []
    for index, item in enumerate(entries):
        try:
            captures.append(_entry(item))
        except _EntryError as exc:
            where = f"log.entries[{index}]{exc.where}"
            raise HookscopeError(f"{source}: {where}: {exc}") from None
    return captures


def _entry(item: object) -> Capture:
    entry = _object(item, "")
    request = _object(_required(entry, "request", ""), ".request")
    started = _required(entry, "startedDateTime", "")
    try:
        received_us = parse_timestamp(started) if isinstance(started, str) else None
    except ValueError:
        received_us = None
    if received_us is None:
        raise _EntryError("", f"'startedDateTime' is not an ISO 8601 time: {started!r}")
    _limited("", check_received_us, received_us, "startedDateTime")
    method = _required(request, "method", ".request")
    if not isinstance(method, str):
        raise _EntryError(".request", "'method' must be a string")
    url = _required(request, "url", ".request")
    if not isinstance(url, str):
        raise _EntryError(".request", "'url' must be a string")
    ours = entry.get(HOOKSCOPE_FIELD)
    exact = _object(ours, f".{HOOKSCOPE_FIELD}") if ours is not None else None
    headers = _headers(request.get("headers", []), ".request.headers")
    body = _post_body(request.get("postData"), ".request.postData")
    response = _object(entry.get("response", {}), ".response")
    status = _limited(".response", check_status, response.get("status", 0), "status")
    try:
        target = target_from_url(url)
    except ValueError:
        raise _EntryError(".request", f"'url' is not a URL: {url!r}") from None
    capture = Capture(
        method=method,
        target=target,
        headers=headers,
        body=body,
        received_us=received_us,
        http_version=_http_version(request.get("httpVersion")),
        response_status=status,
        response_headers=_headers(response.get("headers", []), ".response.headers"),
        response_body=_content(response.get("content"), ".response.content"),
        read_ms=_send_ms(entry),
    )
    if exact is not None:
        return _restore_exact(capture, exact)
    capture.origin = origin_of(url)
    return _as_http1(capture, url)


def _send_ms(entry: dict[str, Any]) -> float:
    """The time the request took to arrive, from `timings.send` (or `time`, which our own
    HAR writes the same); absent, null or HAR's -1 read as unknown, 0."""
    timings = entry.get("timings")
    value, where, field = None, ".timings", "send"
    if isinstance(timings, dict):
        value = timings.get("send")
    if value is None and HOOKSCOPE_FIELD in entry:
        value, where, field = entry.get("time"), "", "time"
    if value is None or value == -1:
        return 0.0
    # The store keeps whole microseconds, rounding: 1.001 ms (1000.9999… µs in binary) stays
    # 1001 µs, so a live capture's HAR comes back the same.
    return _limited(where, check_milliseconds, value, field)


def _restore_exact(capture: Capture, exact: dict[str, Any]) -> Capture:
    """Our own HAR: the `_hookscope` object holds what HAR cannot say exactly."""
    where = f".{HOOKSCOPE_FIELD}"
    target = exact.get("target", capture.target)
    if not isinstance(target, str) or not _is_latin1(target):
        raise _EntryError(where, "'target' must be a latin-1 string")
    rejected, rule, note = exact.get("rejected"), exact.get("rule"), exact.get("note", "")
    for name, value in (("rejected", rejected), ("rule", rule)):
        if value is not None and not isinstance(value, str):
            raise _EntryError(where, f"'{name}' must be a string or null")
    _limited(where, check_id, exact.get("id"))
    body_size = _limited(
        where,
        check_body_size,
        exact.get("body_size", len(capture.body)),
        capture.body,
        rejected,
        "body_size",
    )
    version = exact.get("http_version", capture.http_version)
    capture.target = target
    capture.body_size = body_size
    capture.http_version = version if isinstance(version, str) else capture.http_version
    capture.remote = str(exact.get("remote") or "")
    capture.rejected = rejected
    capture.rule = rule
    capture.starred = exact.get("starred") is True
    capture.note = note if isinstance(note, str) else ""
    origin = exact.get("origin")
    if origin is not None and not (isinstance(origin, str) and valid_origin(origin)):
        raise _EntryError(where, f"'origin' must be null or scheme://host[:port], got {origin!r}")
    capture.origin = origin
    return capture


def _as_http1(capture: Capture, url: str) -> Capture:
    """Another tool's HAR: drop HTTP/2 pseudo-headers and give the request the Host header an
    HTTP/1.1 request to that URL would have carried."""
    authority = next((v for n, v in capture.headers if n.lower() == ":authority"), None)
    headers = tuple((n, v) for n, v in capture.headers if not n.startswith(":"))
    if not any(name.lower() == "host" for name, _ in headers):
        host = authority or _netloc(url)
        if host:
            headers = (("Host", _latin1(host)), *headers)
    capture.headers = headers
    return capture


def _netloc(url: str) -> str:
    try:
        return urlsplit(url).netloc.rpartition("@")[2]
    except ValueError:
        return ""


def _headers(value: object, where: str) -> tuple[Header, ...]:
    if not isinstance(value, list):
        raise _EntryError(where, "must be a list")
    headers: list[Header] = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            name, header_value = item.get("name"), item.get("value")
        elif isinstance(item, list) and len(item) == 2:  # Slack's exports: [name, value]
            name, header_value = item
        else:
            raise _EntryError(f"{where}[{index}]", "must be a {name, value} object")
        if isinstance(header_value, int | float) and not isinstance(header_value, bool):
            header_value = str(header_value)
        if not isinstance(name, str) or not isinstance(header_value, str):
            raise _EntryError(f"{where}[{index}]", "'name' and 'value' must be strings")
        headers.append((_latin1(name), _latin1(header_value)))
    return tuple(headers)


def _latin1(text: str) -> str:
    """Header text as the bytes on the wire, one character per byte: text that already is
    latin-1 is taken as it is (our own exports); anything beyond is UTF-8 encoded."""
    if _is_latin1(text):
        return text
    return text.encode("utf-8", "replace").decode("latin-1")


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _post_body(value: object, where: str) -> bytes:
    if value is None:
        return b""
    post = _object(value, where)
    if isinstance(post.get("_textBase64"), str):
        return _base64(post["_textBase64"], where, "_textBase64")
    text = post.get("text")
    encoding = post.get("_encoding", post.get("encoding"))
    if isinstance(text, str):
        return _decode_text(text, encoding, where)
    if text is not None:
        raise _EntryError(where, "'text' must be a string")
    params = post.get("params") or []
    if not params:
        return b""
    mime = str(post.get("mimeType") or "").split(";", 1)[0].strip().lower()
    if mime not in ("", _FORM):
        raise _EntryError(where, f"has only 'params' for a {mime} body, which cannot be rebuilt")
    pairs = []
    for index, param in enumerate(params if isinstance(params, list) else [None]):
        if not isinstance(param, dict) or not isinstance(param.get("name"), str):
            raise _EntryError(f"{where}.params[{index}]", "must be a {name, value} object")
        pairs.append((param["name"], str(param.get("value", ""))))
    return urlencode(pairs).encode("ascii")


def _content(value: object, where: str) -> bytes:
    if value is None:
        return b""
    content = _object(value, where)
    text = content.get("text")
    if text is None:
        return b""
    if not isinstance(text, str):
        raise _EntryError(where, "'text' must be a string")
    return _decode_text(text, content.get("encoding"), where)


def _decode_text(text: str, encoding: object, where: str) -> bytes:
    if encoding == "base64":
        return _base64(text, where, "text")
    if encoding not in (None, ""):
        raise _EntryError(where, f"unknown encoding {encoding!r} (only base64 is defined)")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape: no bytes to send
        raise _EntryError(where, "'text' is not valid Unicode") from None


def _base64(text: str, where: str, field: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise _EntryError(where, f"'{field}' is not valid base64") from None


def _http_version(value: object) -> str:
    text = str(value or "").strip().lower()
    if text in ("h2", "h3"):
        return text[1]
    version = text.removeprefix("http/")
    if version in ("2.0", "3.0"):
        return version[0]
    return version or "1.1"


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _EntryError(where, "must be an object")
    return value


def _required(obj: dict[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise _EntryError(where, f"missing '{key}'")
    return obj[key]
