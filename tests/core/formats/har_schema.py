"""The fields HAR 1.2 requires (http://www.softwareishard.com/blog/har-12-spec/), as a JSON
Schema: every field the spec does not mark optional must be there with its type, and any field
the spec does not define must start with an underscore (the spec's rule for custom fields)."""

from __future__ import annotations

from typing import Any

_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_ISO_8601 = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"


def _obj(
    required: list[str], optional: dict[str, Any] | None = None, **props: Any
) -> dict[str, Any]:
    properties = {**props, **(optional or {}), "comment": _STR}
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "propertyNames": {"anyOf": [{"pattern": "^_"}, {"enum": sorted(properties)}]},
    }


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


_PAIR = _obj(["name", "value"], name=_STR, value=_STR)
_COOKIE = _obj(
    ["name", "value"],
    {"path": _STR, "domain": _STR, "expires": _STR, "httpOnly": _BOOL, "secure": _BOOL},
    name=_STR,
    value=_STR,
)
_PARAM = _obj(["name"], {"value": _STR, "fileName": _STR, "contentType": _STR}, name=_STR)
_REQUEST_FIELDS = ["method", "url", "httpVersion", "cookies", "headers", "queryString"]
_RESPONSE_FIELDS = ["status", "statusText", "httpVersion", "cookies", "headers", "content"]
_SIZES = ["headersSize", "bodySize"]

REQUEST = _obj(
    [*_REQUEST_FIELDS, *_SIZES],
    {
        "postData": _obj(
            ["mimeType", "params", "text"], mimeType=_STR, params=_list(_PARAM), text=_STR
        )
    },
    method=_STR,
    url=_STR,
    httpVersion=_STR,
    cookies=_list(_COOKIE),
    headers=_list(_PAIR),
    queryString=_list(_PAIR),
    headersSize=_INT,
    bodySize=_INT,
)
RESPONSE = _obj(
    [*_RESPONSE_FIELDS, "redirectURL", *_SIZES],
    status=_INT,
    statusText=_STR,
    httpVersion=_STR,
    cookies=_list(_COOKIE),
    headers=_list(_PAIR),
    content=_obj(
        ["size", "mimeType"],
        {"compression": _INT, "text": _STR, "encoding": _STR},
        size=_INT,
        mimeType=_STR,
    ),
    redirectURL=_STR,
    headersSize=_INT,
    bodySize=_INT,
)
_TIMING = {"type": "number", "minimum": -1}
_DURATION = {"type": "number", "minimum": 0}
ENTRY = _obj(
    ["startedDateTime", "time", "request", "response", "cache", "timings"],
    {"pageref": _STR, "serverIPAddress": _STR, "connection": _STR},
    startedDateTime={"type": "string", "pattern": _ISO_8601},
    time=_DURATION,
    request=REQUEST,
    response=RESPONSE,
    cache=_obj([], {"beforeRequest": {}, "afterRequest": {}}),
    timings=_obj(
        ["send", "wait", "receive"],
        {"blocked": _TIMING, "dns": _TIMING, "connect": _TIMING, "ssl": _TIMING},
        send=_DURATION,
        wait=_DURATION,
        receive=_DURATION,
    ),
)
HAR_SCHEMA: dict[str, Any] = _obj(
    ["log"],
    log=_obj(
        ["version", "creator", "entries"],
        {"browser": _obj(["name", "version"], name=_STR, version=_STR), "pages": _list({})},
        version={"const": "1.2"},
        creator=_obj(["name", "version"], name=_STR, version=_STR),
        entries=_list(ENTRY),
    ),
)
