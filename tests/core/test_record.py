from __future__ import annotations

import json

import pytest

from hookscope.core.record import RecordError, from_record, to_json_line, to_record
from tests.core.factories import make_capture

CONTRACT_FIELDS = {
    "id",
    "received_at",
    "method",
    "target",
    "path",
    "query",
    "http_version",
    "headers",
    "body_b64",
    "body_size",
    "remote",
    "response_status",
    "rejected",
}


def test_record_has_every_contract_field() -> None:
    record = to_record(make_capture(id=7))
    assert set(record) >= CONTRACT_FIELDS
    assert record["id"] == 7
    assert record["received_at"] == "2026-11-18T11:06:40.123456Z"


def test_round_trip_through_json_keeps_bytes() -> None:
    original = make_capture(
        id=3,
        body=bytes(range(256)),
        headers=(("X-L", "\xe9\xff"), ("x-l", "2")),
        response_body=b"\x00ok",
    )
    line = to_json_line(original)
    assert line.isascii()
    again = from_record(json.loads(line))
    assert again.body == original.body
    assert again.headers == original.headers
    assert again.received_us == original.received_us
    assert again.response_body == original.response_body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received_at": "yesterday"}, "received_at"),
        ({"body_b64": "***"}, "body_b64"),
        ({"headers": [["only-name"]]}, "headers"),
        ({"method": 5}, "method"),
        ({"response_status": "200"}, "response_status"),
        ({"body_size": 99}, "body_size"),
        ({"target": "/\u20ac"}, "target"),
    ],
)
def test_bad_records_name_the_field(change: dict[str, object], message: str) -> None:
    record = to_record(make_capture(id=1))
    record.update(change)
    with pytest.raises(RecordError, match=message):
        from_record(record)


def test_missing_field_is_named() -> None:
    record = to_record(make_capture(id=1))
    del record["method"]
    with pytest.raises(RecordError, match="missing field 'method'"):
        from_record(record)
