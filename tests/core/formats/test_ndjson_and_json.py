from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.formats import json_array, ndjson
from hookscope.core.formats.importer import import_file, read_captures
from hookscope.core.model import Capture
from hookscope.core.record import to_json_line, to_record
from hookscope.core.store import Store
from tests.core.factories import deep_json
from tests.core.formats.corpus import NAMES, corpus
from tests.core.formats.test_har import FIELDS


def ndjson_bytes(captures: list[Capture]) -> bytes:
    out = io.BytesIO()
    assert ndjson.write(captures, out) == len(captures)
    return out.getvalue()


def json_bytes(captures: list[Capture]) -> bytes:
    out = io.BytesIO()
    assert json_array.write(captures, out) == len(captures)
    return out.getvalue()


def test_ndjson_lines_are_the_capture_record_of_listen() -> None:
    captures = corpus()
    lines = ndjson_bytes(captures).split(b"\n")
    assert lines[-1] == b""
    assert [line.decode() for line in lines[:-1]] == [to_json_line(c) for c in captures]


def test_json_is_an_array_of_the_same_records() -> None:
    captures = corpus()
    data = json_bytes(captures)
    assert json.loads(data) == [to_record(c) for c in captures]
    assert json.loads(json_bytes([])) == []


@pytest.mark.parametrize("kind", ["ndjson", "json"])
def test_import_gives_back_every_capture_exactly(kind: str) -> None:
    originals = corpus()
    data = ndjson_bytes(originals) if kind == "ndjson" else json_bytes(originals)
    again = read_captures(data, f"x.{kind}")
    for name, original, imported in zip(NAMES, originals, again, strict=True):
        for field in FIELDS:
            assert getattr(imported, field) == getattr(original, field), (name, field)


@pytest.mark.parametrize("kind", ["ndjson", "json"])
def test_round_trip_through_a_fresh_store_is_byte_identical(kind: str, tmp_path: Path) -> None:
    write = ndjson_bytes if kind == "ndjson" else json_bytes
    first = write(corpus())
    path = tmp_path / f"first.{kind}"
    path.write_bytes(first)
    with Store.open(tmp_path / "fresh.db") as store:
        import_file(store, path)
        second = write(list(store.iter_captures()))
    assert second == first


def test_bad_ndjson_names_the_line() -> None:
    lines = ndjson_bytes(corpus()[:3]).split(b"\n")
    lines[2] = lines[2][:-5]  # cut short
    with pytest.raises(HookscopeError, match=r"^x\.ndjson, line 3: "):
        read_captures(b"\n".join(lines), "x.ndjson")


def test_ndjson_missing_field_names_line_and_field() -> None:
    records = [to_record(c) for c in corpus()[:2]]
    del records[1]["method"]
    data = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    with pytest.raises(HookscopeError, match=r"x\.ndjson, line 2: missing field 'method'"):
        read_captures(data, "x.ndjson")


def test_bad_json_array_record_is_named() -> None:
    records = [to_record(c) for c in corpus()[:2]]
    records[1]["body_b64"] = "not base64!"
    with pytest.raises(HookscopeError, match=r"x\.json, record 2: 'body_b64' is not valid base64"):
        read_captures(json.dumps(records).encode(), "x.json")


@pytest.mark.parametrize("depth", [1000, 3000])
def test_import_of_records_nested_too_deep_is_a_clear_error(depth: int) -> None:
    line = b'{"method":"POST","target":"/","received_at":"2026-01-01T00:00:00Z","x":'
    line += deep_json(depth) + b"}"
    with pytest.raises(HookscopeError, match=r"^in\.ndjson, line 2: nested too deep"):
        list(ndjson.read([b"", line], "in.ndjson"))
    with pytest.raises(HookscopeError, match=r"^in\.json: not valid JSON: nested too deep"):
        json_array.read(b"[" + line + b"]", "in.json")
    with pytest.raises(HookscopeError):
        read_captures(line, "in.ndjson")
