"""HAR export → import → export gives the same bytes, for live captures (with their timings)
and for other tools' HARs (whose URL keeps its scheme and host)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hookscope.core.formats import har, har_reader, ndjson
from hookscope.core.model import Capture
from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.core.formats.test_har_reader import CHROME
from tests.core.formats.test_har_reader import har as har_file


def har_bytes(captures: list[Capture]) -> bytes:
    out = io.BytesIO()
    har.write(captures, out)
    return out.getvalue()


def test_time_and_timings_send_survive_an_import() -> None:
    exported = har_bytes([make_capture(id=1, read_ms=12.345)])
    (imported,) = har_reader.read(exported)
    assert imported.read_ms == pytest.approx(12.345)
    entry = json.loads(har_bytes([imported]))["log"]["entries"][0]
    assert (entry["time"], entry["timings"]["send"]) == (12.345, 12.345)


# Read times as the receiver measures them, in whole microseconds, including ones whose
# millisecond value is not exact in binary floating point (1.001 ms, 4.35 ms, …).
READ_US = [0, 1, 999, 1001, 1003, 4350, 123_457, 2_000_001]


def test_live_captures_round_trip_through_a_store_byte_for_byte(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        # A quarter microsecond over: the store keeps exactly `us` whether it rounds or truncates.
        store.add_many([make_capture(read_ms=(us + 0.25) / 1000) for us in READ_US])
        stored = list(store.iter_captures())
        assert [round(c.read_ms * 1000) for c in stored] == READ_US
        first = har_bytes(stored)
    with Store.open(tmp_path / "b.db") as store:
        store.add_many(har_reader.read(first))
        again = har_bytes(list(store.iter_captures()))
    assert again == first


def test_a_negative_or_missing_send_time_reads_as_unknown() -> None:
    entry = {**CHROME, "timings": {"send": -1, "wait": 1, "receive": 1}}
    (capture,) = har_reader.read(har_file(entry))
    assert capture.read_ms == 0


def test_a_browsers_https_entry_keeps_its_scheme_and_host() -> None:
    (capture,) = har_reader.read(har_file(CHROME))
    url = json.loads(har_bytes([capture]))["log"]["entries"][0]["request"]["url"]
    assert url == CHROME["request"]["url"]  # https://api.example.test/v1/events?…


def test_a_non_default_port_and_http_are_kept_too() -> None:
    entry = json.loads(json.dumps(CHROME))
    entry["request"]["url"] = "http://api.example.test:8443/v1/x?y=1"
    (capture,) = har_reader.read(har_file(entry))
    exported = json.loads(har_bytes([capture]))["log"]["entries"][0]
    assert exported["request"]["url"] == "http://api.example.test:8443/v1/x?y=1"
    # …and again through our own HAR: the origin travels in `_hookscope`.
    (again,) = har_reader.read(har_bytes([capture]))
    assert json.loads(har_bytes([again]))["log"]["entries"][0] == exported


def test_the_origin_travels_in_ndjson_records() -> None:
    (capture,) = har_reader.read(har_file(CHROME))
    out = io.BytesIO()
    ndjson.write([capture], out)
    assert json.loads(out.getvalue())["origin"] == "https://api.example.test"
    (back,) = ndjson.read(out.getvalue().splitlines())
    assert json.loads(har_bytes([back]))["log"]["entries"][0]["request"]["url"].startswith(
        "https://api.example.test/"
    )


def test_received_captures_carry_no_origin_field() -> None:
    out = io.BytesIO()
    ndjson.write([make_capture(id=1)], out)
    assert "origin" not in json.loads(out.getvalue())
