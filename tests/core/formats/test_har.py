from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from haralyzer import HarParser

from hookscope.core.formats import ExportOptions, har, har_reader
from hookscope.core.formats.importer import import_file
from hookscope.core.model import Capture
from hookscope.core.store import Store
from tests.core.formats.corpus import BINARY, LATIN1_BODY, NAMES, corpus
from tests.core.formats.har_schema import HAR_SCHEMA


def export(captures: list[Capture], options: ExportOptions | None = None) -> bytes:
    out = io.BytesIO()
    assert har.write(captures, out, options) == len(captures)
    return out.getvalue()


def entries_by_name(data: bytes) -> dict[str, dict[str, Any]]:
    return dict(zip(NAMES, json.loads(data)["log"]["entries"], strict=True))


def test_every_entry_has_every_field_har_1_2_requires() -> None:
    document = json.loads(export(corpus()))
    errors = sorted(jsonschema.Draft7Validator(HAR_SCHEMA).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert len(document["log"]["entries"]) == len(NAMES)


def test_schema_check_catches_a_missing_field() -> None:
    document = json.loads(export(corpus()[:1]))
    del document["log"]["entries"][0]["request"]["queryString"]
    assert not jsonschema.Draft7Validator(HAR_SCHEMA).is_valid(document)


def test_an_independent_har_reader_loads_every_entry() -> None:
    captures = corpus()
    parser = HarParser(json.loads(export(captures)))
    entries = [entry for page in parser.pages for entry in page.entries]
    assert len(entries) == len(captures)
    for entry, capture in zip(entries, captures, strict=True):
        assert entry.request.method == capture.method
        assert entry.response.status == capture.response_status
        assert entry.startTime.year == 2026
        if capture.body and capture.body.decode("utf-8", "replace").encode() == capture.body:
            assert entry.request.text == capture.body.decode()


def test_every_url_is_absolute_and_parses() -> None:
    for name, entry in entries_by_name(export(corpus())).items():
        url = urlsplit(entry["request"]["url"])
        assert url.scheme == "http", name
        assert url.netloc, name
        assert entry["request"]["url"].isascii(), name
        assert " " not in entry["request"]["url"], name
        assert "#" not in entry["request"]["url"], name


def test_text_bodies_are_post_data_text() -> None:
    entry = entries_by_name(export(corpus()))["shell-hostile-utf8-text"]
    post = entry["request"]["postData"]
    assert post["text"].encode() == corpus()[NAMES.index("shell-hostile-utf8-text")].body
    assert post["mimeType"] == "text/plain; charset=utf-8"
    assert "_encoding" not in post


@pytest.mark.parametrize(
    ("name", "body"), [("binary", BINARY), ("latin1-body-and-headers", LATIN1_BODY)]
)
def test_binary_and_non_utf8_bodies_are_base64_and_marked(name: str, body: bytes) -> None:
    post = entries_by_name(export(corpus()))[name]["request"]["postData"]
    assert post["_encoding"] == "base64"
    assert "base64" in post["comment"]
    assert "encoding" not in post  # HAR 1.2 defines no such field in postData
    assert base64.b64decode(post["text"]) == body


def test_form_bodies_list_their_params() -> None:
    post = entries_by_name(export(corpus()))["form"]["request"]["postData"]
    assert post["text"] == "a=1&b=two+words&c=%E2%9C%93&empty="
    assert post["params"] == [
        {"name": "a", "value": "1"},
        {"name": "b", "value": "two words"},
        {"name": "c", "value": "\u2713"},
        {"name": "empty", "value": ""},
    ]


def test_response_is_what_hookscope_answered() -> None:
    entry = entries_by_name(export(corpus()))["rich-response"]
    response = entry["response"]
    assert response["status"] == 418
    assert response["statusText"] == "I'm a Teapot"
    assert response["redirectURL"] == "/elsewhere"
    assert response["cookies"] == [{"name": "sid", "value": "abc", "path": "/", "httpOnly": True}]
    assert response["content"]["encoding"] == "base64"
    assert base64.b64decode(response["content"]["text"]) == b"\x00\xff\xfe binary answer"
    assert entry["request"]["cookies"] == [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]


def test_latin1_headers_keep_every_byte() -> None:
    headers = entries_by_name(export(corpus()))["latin1-body-and-headers"]["request"]["headers"]
    value = next(h["value"] for h in headers if h["name"] == "X-Latin")
    assert value.encode("latin-1") == b"caf\xe9 \xa3\xff"


def test_refused_request_keeps_its_size_and_reason() -> None:
    entry = entries_by_name(export(corpus()))["refused-too-large"]
    assert entry["request"]["bodySize"] == 20 * 1024 * 1024
    assert "postData" not in entry["request"]
    assert entry["_hookscope"]["rejected"] == "body-too-large"
    assert entry["response"]["status"] == 413


def test_empty_export_is_a_valid_har() -> None:
    document = json.loads(export([]))
    assert document["log"]["entries"] == []
    jsonschema.validate(document, HAR_SCHEMA)


FIELDS = (
    "method",
    "target",
    "headers",
    "body",
    "body_size",
    "http_version",
    "received_us",
    "remote",
    "response_status",
    "response_headers",
    "response_body",
    "rejected",
    "rule",
    "starred",
    "note",
)


def test_import_gives_back_every_capture_exactly() -> None:
    originals = corpus()
    again = har_reader.read(export(originals), "x.har")
    for name, original, imported in zip(NAMES, originals, again, strict=True):
        for field in FIELDS:
            assert getattr(imported, field) == getattr(original, field), (name, field)


def test_round_trip_through_a_fresh_store_is_byte_identical(tmp_path: Path) -> None:
    first = export(corpus())
    path = tmp_path / "first.har"
    path.write_bytes(first)
    with Store.open(tmp_path / "fresh.db") as store:
        stored = import_file(store, path)
        assert [c.id for c in stored] == list(range(1, len(NAMES) + 1))
        second = io.BytesIO()
        har.write(store.iter_captures(), second)
    assert second.getvalue() == first
