"""HAR files from other tools, in the shapes they really write, and broken ones."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.formats import har_reader
from hookscope.core.model import parse_timestamp


def har(*entries: dict[str, Any], **log: Any) -> bytes:
    return json.dumps(
        {
            "log": {
                "version": "1.2",
                "creator": {"name": "t", "version": "1"},
                **log,
                "entries": list(entries),
            }
        }
    ).encode()


def response(**fields: Any) -> dict[str, Any]:
    base = {
        "status": 200,
        "statusText": "OK",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [],
        "content": {"size": 0, "mimeType": ""},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": 0,
    }
    return {**base, **fields}


# Chrome devtools over HTTP/2: pseudo-headers, lower-case names, `http/2.0`, `_initiator` etc.
CHROME = {
    "_initiator": {"type": "script"},
    "_priority": "High",
    "_resourceType": "fetch",
    "cache": {},
    "connection": "443",
    "pageref": "page_1",
    "request": {
        "method": "POST",
        "url": "https://api.example.test/v1/events?cursor=abc&n=%E2%9C%93",
        "httpVersion": "http/2.0",
        "headers": [
            {"name": ":authority", "value": "api.example.test"},
            {"name": ":method", "value": "POST"},
            {"name": ":path", "value": "/v1/events?cursor=abc&n=%E2%9C%93"},
            {"name": ":scheme", "value": "https"},
            {"name": "content-type", "value": "application/json"},
            {"name": "x-note", "value": "d\u00e9j\u00e0 vu \u2713"},
        ],
        "queryString": [{"name": "cursor", "value": "abc"}],
        "cookies": [],
        "headersSize": -1,
        "bodySize": 28,
        "postData": {"mimeType": "application/json", "text": '{"name":"caf\u00e9","n":1}'},
    },
    "response": response(
        httpVersion="http/2.0",
        headers=[{"name": "content-type", "value": "application/json"}],
        content={"size": 2, "mimeType": "application/json", "text": "{}"},
        _transferSize=120,
    ),
    "serverIPAddress": "192.0.2.1",
    "startedDateTime": "2026-03-01T10:00:00.123Z",
    "time": 41.2,
    "timings": {
        "blocked": 1.1,
        "dns": -1,
        "ssl": -1,
        "connect": -1,
        "send": 0.2,
        "wait": 39.5,
        "receive": 0.4,
    },
}

# mitmproxy's save.har: `+00:00` offsets, null timings, a binary response in base64.
MITMPROXY = {
    "startedDateTime": "2026-03-01T10:00:01.500000+00:00",
    "time": 12.0,
    "request": {
        "method": "PUT",
        "url": "http://localhost:8080/upload",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [
            {"name": "Host", "value": "localhost:8080"},
            {"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
        ],
        "queryString": [],
        "headersSize": 120,
        "bodySize": 7,
        "postData": {
            "mimeType": "application/x-www-form-urlencoded",
            "text": "a=1&b=2",
            "params": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}],
        },
    },
    "response": response(
        content={
            "size": 3,
            "compression": 0,
            "mimeType": "image/png",
            "text": base64.b64encode(b"\x89PN").decode(),
            "encoding": "base64",
        },
    ),
    "cache": {},
    "timings": {"connect": None, "ssl": None, "send": 1.0, "receive": 1.0, "wait": 10.0},
}

# HTTP Toolkit: pages, pageref, `params: []`, a request body written as base64 with `encoding`
# (as several tools do for binary request bodies), headers as [name, value] pairs (Slack).
TOOLKIT = {
    "pageref": "curl",
    "startedDateTime": "2026-03-01T11:00:00+01:00",
    "time": 3,
    "request": {
        "method": "POST",
        "url": "http://127.0.0.1:9999/bin",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [["host", "127.0.0.1:9999"], ["content-type", "application/octet-stream"]],
        "queryString": [],
        "postData": {
            "mimeType": "application/octet-stream",
            "text": base64.b64encode(b"\x00\x01\xfe\xff").decode(),
            "params": [],
            "encoding": "base64",
        },
        "headersSize": -1,
        "bodySize": 4,
    },
    "response": response(
        status=0,
        statusText="",
        httpVersion="",
        content={"size": 0, "mimeType": "application/x-unknown"},
    ),
    "cache": {},
    "timings": {
        "blocked": -1,
        "dns": -1,
        "connect": -1,
        "ssl": -1,
        "send": 0,
        "wait": 0,
        "receive": 0,
    },
}

# Firefox writes form bodies that it could parse as params only, sometimes without text.
FIREFOX_FORM = {
    "startedDateTime": "2026-03-01T12:00:00.000+00:00",
    "time": 1,
    "request": {
        "method": "POST",
        "url": "http://example.test/login",
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": "Host", "value": "example.test"}],
        "queryString": [],
        "headersSize": 100,
        "bodySize": 21,
        "postData": {
            "mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "user", "value": "a b"}, {"name": "x", "value": "\u2713"}],
        },
    },
    "response": response(),
    "cache": {},
    "timings": {"send": 0, "wait": 0, "receive": 0},
}


def test_chrome_http2_entry() -> None:
    (capture,) = har_reader.read(har(CHROME, pages=[{"id": "page_1"}]))
    assert capture.method == "POST"
    assert capture.target == "/v1/events?cursor=abc&n=%E2%9C%93"
    assert capture.http_version == "2"
    assert capture.headers[0] == ("Host", "api.example.test")
    assert not any(name.startswith(":") for name, _ in capture.headers)
    # Non-latin-1 header text is taken as the UTF-8 bytes a client would send.
    x_note = dict(capture.headers)["x-note"]
    assert x_note.encode("latin-1") == "d\u00e9j\u00e0 vu \u2713".encode()
    assert capture.body == '{"name":"caf\u00e9","n":1}'.encode()
    assert capture.received_us == parse_timestamp("2026-03-01T10:00:00.123Z")
    assert capture.response_body == b"{}"


def test_mitmproxy_entry_with_null_timings_and_base64_response() -> None:
    (capture,) = har_reader.read(har(MITMPROXY))
    assert capture.method == "PUT"
    assert capture.target == "/upload"
    assert capture.body == b"a=1&b=2"  # text wins over params
    assert capture.response_body == b"\x89PN"
    assert capture.received_us == parse_timestamp("2026-03-01T10:00:01.5Z")


def test_http_toolkit_entry_with_base64_request_body_and_pair_headers() -> None:
    (capture,) = har_reader.read(har(TOOLKIT, pages=[{"id": "curl", "title": "curl"}]))
    assert capture.body == b"\x00\x01\xfe\xff"
    assert capture.headers == (
        ("host", "127.0.0.1:9999"),
        ("content-type", "application/octet-stream"),
    )
    assert capture.response_status == 0
    assert capture.received_us == parse_timestamp("2026-03-01T10:00:00Z")


def test_form_params_without_text_are_rebuilt() -> None:
    (capture,) = har_reader.read(har(FIREFOX_FORM))
    assert capture.body == b"user=a+b&x=%E2%9C%93"


def test_host_is_added_from_the_url_when_missing() -> None:
    entry = copy.deepcopy(MITMPROXY)
    entry["request"]["headers"] = []
    (capture,) = har_reader.read(har(entry))
    assert capture.headers == (("Host", "localhost:8080"),)


def test_several_tools_in_one_file_keep_their_order() -> None:
    captures = har_reader.read(har(CHROME, MITMPROXY, TOOLKIT, FIREFOX_FORM))
    assert [c.method for c in captures] == ["POST", "PUT", "POST", "POST"]


def broken(path: str, value: Any, entry: dict[str, Any] = MITMPROXY) -> bytes:
    """MITMPROXY (and a good entry before it) with one field set (`None` deletes it)."""
    bad = copy.deepcopy(entry)
    *parents, last = path.split(".")
    node = bad
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return har(CHROME, bad)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"log": {"version": "1.2"}}', "x.har: HAR has no 'log.entries' list"),
        (b'{"entries": []}', "x.har: not a HAR file: no 'log' object"),
        (b'{"log": {"entries": [}}', "x.har: not valid JSON (line 1, column 22)"),
        (broken("request.url", None), "x.har: log.entries[1].request: missing 'url'"),
        (broken("request", None), "x.har: log.entries[1]: missing 'request'"),
        (broken("request.method", 5), "x.har: log.entries[1].request: 'method' must be a string"),
        (
            broken("startedDateTime", "yesterday"),
            "log.entries[1]: 'startedDateTime' is not an ISO 8601 time",
        ),
        (broken("request.postData.text", "a=1&b=2"), None),  # control: still fine
        (
            broken("request.postData", {"mimeType": "x", "text": "***", "_encoding": "base64"}),
            "x.har: log.entries[1].request.postData: 'text' is not valid base64",
        ),
        (
            broken(
                "response.content", {"size": 1, "mimeType": "", "text": "@@", "encoding": "base64"}
            ),
            "x.har: log.entries[1].response.content: 'text' is not valid base64",
        ),
        (
            broken("request.postData", {"mimeType": "x", "text": "abc", "encoding": "rot13"}),
            "unknown encoding 'rot13'",
        ),
        (
            broken("request.headers", [{"name": "a", "value": None}]),
            "log.entries[1].request.headers[0]: 'name' and 'value' must be strings",
        ),
        (broken("response.status", "200"), "log.entries[1].response: 'status' must be an integer"),
        (
            broken(
                "request.postData",
                {"mimeType": "multipart/form-data", "params": [{"name": "f", "fileName": "a.txt"}]},
            ),
            "cannot be rebuilt",
        ),
    ],
)
def test_bad_files_name_the_problem_and_the_entry(data: bytes, message: str | None) -> None:
    if message is None:
        assert len(har_reader.read(data, "x.har")) == 2
        return
    with pytest.raises(HookscopeError) as caught:
        har_reader.read(data, "x.har")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
