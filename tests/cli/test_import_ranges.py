"""`hookscope import` refuses numbers a capture cannot have: a body size that contradicts the
body, ids, statuses and times out of range. The bad record is named, exit 2, nothing stored."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from hookscope.cli import main

BIG = 2**63  # one past SQLite's largest integer


def record(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": 1,
        "received_at": "2026-01-01T00:00:00.000000Z",
        "method": "POST",
        "target": "/a",
        "headers": [["Host", "h"]],
        "body_b64": base64.b64encode(b"abcd").decode(),
        "body_size": 4,
        "remote": "127.0.0.1:5000",
        "response_status": 200,
        "rejected": None,
    }
    fields.update(overrides)
    return fields


NDJSON_CASES = {
    "size-without-body": (record(body_b64="", body_size=5), "'body_size' is 5 but"),
    "size-negative": (record(body_size=-1), "'body_size' must be an integer 0 to"),
    "size-huge-refused": (
        record(body_b64="", body_size=BIG, rejected="body-too-large"),
        "'body_size' must be an integer 0 to",
    ),
    "status-negative": (
        record(response_status=-1),
        "'response_status' must be an integer 0 to 999",
    ),
    "status-1000": (record(response_status=1000), "'response_status' must be an integer 0 to 999"),
    "status-huge": (record(response_status=2**64), "'response_status' must be an integer 0 to 999"),
    "id-negative": (record(id=-1), "'id' must be"),
    "id-huge": (record(id=BIG), "'id' must be"),
    "id-text": (record(id="7"), "'id' must be"),
    "time-before-1970": (record(received_at="1969-12-31T23:59:59Z"), "'received_at'"),
}


def run_import(tmp_path: Path, name: str, data: bytes, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "store.db"
    code = main(["import", str(path), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("hookscope: error: "), err
    assert err.count("\n") == 1, err
    assert not db.exists()  # nothing imported: the store was never even opened
    return err


@pytest.mark.parametrize("case", list(NDJSON_CASES))
def test_ndjson_names_the_line(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, message = NDJSON_CASES[case]
    data = (json.dumps(record()) + "\n" + json.dumps(bad) + "\n").encode()
    err = run_import(tmp_path, "x.ndjson", data, capsys)
    assert "x.ndjson, line 2: " in err, err
    assert message in err, err


def test_a_refused_capture_may_declare_the_size_it_did_not_keep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = record(body_b64="", body_size=20_000_000, response_status=413,
                     rejected="body-too-large")  # fmt: skip
    path = tmp_path / "ok.ndjson"
    path.write_text(json.dumps(refused) + "\n")
    assert main(["import", str(path), "--db", str(tmp_path / "s.db")]) == 0
    capsys.readouterr()


def har_entry(**ours: Any) -> dict[str, Any]:
    exact = {"id": 1, "target": "/a", "http_version": "1.1", "remote": "", "rejected": None,
             "rule": None, "body_size": 4, "starred": False, "note": ""}  # fmt: skip
    exact.update(ours)
    return {
        "startedDateTime": "2026-01-01T00:00:00.000000Z",
        "time": 0.5,
        "request": {
            "method": "POST",
            "url": "http://h/a",
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Host", "value": "h"}],
            "postData": {"mimeType": "", "text": "abcd"},
        },
        "response": {"status": 200, "headers": []},
        "timings": {"send": 0.5, "wait": 0, "receive": 0},
        "_hookscope": exact,
    }


def with_(entry: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    node = entry
    for key in parents:
        node = node[key]
    node[last] = value
    return entry


HAR_CASES = {
    "size-contradicts-body": (
        har_entry(body_size=9),
        "log.entries[1]._hookscope: 'body_size' is 9 but",
    ),
    "size-without-body": (
        with_(har_entry(body_size=7), "request.postData.text", ""),
        "log.entries[1]._hookscope: 'body_size' is 7 but",
    ),
    "size-huge": (har_entry(body_size=BIG), "log.entries[1]._hookscope: 'body_size' must be"),
    "id-negative": (har_entry(id=-3), "log.entries[1]._hookscope: 'id' must be"),
    "status-1000": (
        with_(har_entry(), "response.status", 1000),
        "log.entries[1].response: 'status' must be an integer 0 to 999",
    ),
    "status-negative": (
        with_(har_entry(), "response.status", -200),
        "log.entries[1].response: 'status' must be an integer 0 to 999",
    ),
    "time-before-1970": (
        with_(har_entry(), "startedDateTime", "1900-01-01T00:00:00Z"),
        "log.entries[1]: 'startedDateTime'",
    ),
    "send-negative": (
        with_(har_entry(), "timings.send", -5),
        "log.entries[1].timings: 'send' must be",
    ),
    "send-huge": (
        with_(har_entry(), "timings.send", 1e300),
        "log.entries[1].timings: 'send' must be",
    ),
}


@pytest.mark.parametrize("case", list(HAR_CASES))
def test_har_names_the_entry(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    bad, message = HAR_CASES[case]
    data = json.dumps({"log": {"version": "1.2", "entries": [har_entry(), bad]}}).encode()
    err = run_import(tmp_path, "x.har", data, capsys)
    assert f"x.har: {message}" in err, err
