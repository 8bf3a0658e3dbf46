"""HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): one entry per capture, written one
at a time so that memory stays bounded however many captures there are.

Every field the spec requires is present. Text bodies go in `postData.text`; HAR 1.2 gives
`postData` no `encoding` field, so a body that is not UTF-8 is written as base64 with the custom
field `_encoding: "base64"` (the spec reserves `_`-prefixed names for extensions, so strict
readers ignore it) and a `comment` saying so. The response is the one hookscope gave. The custom
`_hookscope` object keeps what HAR cannot say exactly (the raw request target, the peer, why a
request was refused, the read time, the origin of an imported https URL), so that importing our
own HAR gives back the same captures, and exporting them again the same bytes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import IO, Any
from urllib.parse import unquote_to_bytes

from hookscope import __version__
from hookscope.core.formats.options import ExportOptions
from hookscope.core.formats.urls import har_url
from hookscope.core.model import Capture, Header, first_header, format_timestamp
from hookscope.core.redact import RedactionReport

__all__ = ["BASE64_COMMENT", "HOOKSCOPE_FIELD", "entry", "write"]

HOOKSCOPE_FIELD = "_hookscope"
BASE64_COMMENT = "text is the body in base64 (_encoding): the body is not UTF-8 text"
_FORM = "application/x-www-form-urlencoded"


def write(captures: Iterable[Capture], out: IO[bytes], options: ExportOptions | None = None) -> int:
    options = options or ExportOptions()
    creator = {"name": "hookscope", "version": __version__}
    out.write(b'{"log":{"version":"1.2","creator":' + _dumps(creator) + b',"entries":[')
    count = redacted = 0
    for original in captures:
        capture, report = options.prepare(original)
        out.write((b",\n" if count else b"\n") + _dumps(entry(capture, report)))
        count += 1
        redacted += report is not None and report.masked
    out.write(b"\n]")
    if options.redactor is not None:
        comment = (
            f"redacted by hookscope: secrets masked in {redacted} of {count} entries; "
            "a masked JSON body was re-serialised and is not byte-exact (see each entry's comment)"
        )
        out.write(b',"comment":' + _dumps(comment))
    out.write(b"}}\n")
    return count


def entry(capture: Capture, report: RedactionReport | None = None) -> dict[str, Any]:
    """One HAR entry for a capture."""
    version = f"HTTP/{capture.http_version}" if capture.http_version else ""
    send_ms = round(max(capture.read_ms, 0.0), 3)
    result: dict[str, Any] = {
        "startedDateTime": format_timestamp(capture.received_us),
        "time": send_ms,
        "request": _request(capture, version),
        "response": _response(capture, version),
        "cache": {},
        "timings": {
            "blocked": -1,
            "dns": -1,
            "connect": -1,
            "ssl": -1,
            "send": send_ms,
            "wait": 0,
            "receive": 0,
        },
        HOOKSCOPE_FIELD: {
            "id": capture.id,
            "target": capture.target,
            "http_version": capture.http_version,
            "remote": capture.remote,
            "rejected": capture.rejected,
            "rule": capture.rule,
            "body_size": capture.body_size,
            "starred": capture.starred,
            "note": capture.note,
        },
    }
    if capture.origin is not None:  # an import's scheme and host (received captures have none)
        result[HOOKSCOPE_FIELD]["origin"] = capture.origin
    if report is not None and report.masked:
        result["comment"] = report.note()
    return result


def _request(capture: Capture, version: str) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": capture.method,
        "url": har_url(capture),
        "httpVersion": version,
        "cookies": _request_cookies(capture.headers),
        "headers": _headers(capture.headers),
        "queryString": _pairs(capture.query.encode("latin-1")),
        "headersSize": -1,
        "bodySize": capture.body_size,
    }
    if capture.body:
        request["postData"] = _post_data(capture)
    return request


def _post_data(capture: Capture) -> dict[str, Any]:
    mime = capture.header("Content-Type") or ""
    try:
        text = capture.body.decode("utf-8")
    except UnicodeDecodeError:
        return {
            "mimeType": mime,
            "params": [],
            "text": base64.b64encode(capture.body).decode("ascii"),
            "_encoding": "base64",
            "comment": BASE64_COMMENT,
        }
    params = _pairs(capture.body) if capture.content_type == _FORM else []
    return {"mimeType": mime, "params": params, "text": text}


def _response(capture: Capture, version: str) -> dict[str, Any]:
    headers = capture.response_headers
    content: dict[str, Any] = {
        "size": len(capture.response_body),
        "mimeType": first_header(headers, "content-type") or "",
    }
    if capture.response_body:
        try:
            content["text"] = capture.response_body.decode("utf-8")
        except UnicodeDecodeError:
            content["text"] = base64.b64encode(capture.response_body).decode("ascii")
            content["encoding"] = "base64"  # `content.encoding` is HAR 1.2's own field
    return {
        "status": capture.response_status,
        "statusText": _reason(capture.response_status),
        "httpVersion": version,
        "cookies": _response_cookies(headers),
        "headers": _headers(headers),
        "content": content,
        "redirectURL": first_header(headers, "location") or "",
        "headersSize": -1,
        "bodySize": len(capture.response_body),
    }


def _headers(headers: tuple[Header, ...]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def _pairs(raw: bytes) -> list[dict[str, str]]:
    """`a=1&b=%20` as HAR name/value pairs, percent-decoded for display (the exact bytes stay
    in the URL, `postData.text` and `_hookscope.target`)."""
    pairs = []
    for part in raw.split(b"&") if raw else []:
        name, _, value = part.partition(b"=")
        pairs.append({"name": _component(name), "value": _component(value)})
    return pairs


def _component(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace")


def _request_cookies(headers: tuple[Header, ...]) -> list[dict[str, str]]:
    cookies = []
    for name, value in headers:
        if name.lower() == "cookie":
            for pair in value.split(";"):
                cookie_name, _, cookie_value = pair.strip().partition("=")
                if cookie_name:
                    cookies.append({"name": cookie_name, "value": cookie_value})
    return cookies


def _response_cookies(headers: tuple[Header, ...]) -> list[dict[str, Any]]:
    cookies: list[dict[str, Any]] = []
    for name, value in headers:
        if name.lower() != "set-cookie":
            continue
        first, *attributes = value.split(";")
        cookie_name, _, cookie_value = first.strip().partition("=")
        if not cookie_name:
            continue
        cookie: dict[str, Any] = {"name": cookie_name, "value": cookie_value}
        for attribute in attributes:
            key, _, attribute_value = attribute.strip().partition("=")
            match key.lower():
                case "path" | "domain":
                    cookie[key.lower()] = attribute_value
                case "httponly":
                    cookie["httpOnly"] = True
                case "secure":
                    cookie["secure"] = True
        cookies.append(cookie)
    return cookies


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
