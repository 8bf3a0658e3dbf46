"""Variables: each placeholder replaced, nothing else touched, unknown names reported."""

from __future__ import annotations

import json
import random
import re
import uuid

from hookscope.core.send.sender import OutgoingRequest
from hookscope.core.send.variables import VARIABLES, Sequence, Variables, placeholders

NOW = 1_795_000_000.75  # 2026-11-18T11:06:40Z, with a fraction that must not leak


def fixed(seed: int = 7, start: int = 1) -> Variables:
    return Variables(clock=lambda: NOW, rng=random.Random(seed), sequence=Sequence(start))


def test_each_known_variable_becomes_its_value() -> None:
    body = b'{"id":"{{uuid}}","t":{{now}},"iso":"{{now_iso}}","n":{{random_int}},"s":{{seq}}}'
    expansion = fixed(start=41).expand(OutgoingRequest("POST", "http://x/", (), body))
    document = json.loads(expansion.request.body)
    assert uuid.UUID(document["id"]).version == 4
    assert document["t"] == 1_795_000_000
    assert document["iso"] == "2026-11-18T11:06:40Z"  # as `date -u -d @1795000000`
    assert 1 <= document["n"] <= 2**31 - 1
    assert document["s"] == 41
    assert expansion.unknown == ()


def test_random_id_looks_like_a_provider_id() -> None:
    body, _ = fixed().expand_bytes(b"evt_{{random_id}}")
    assert re.fullmatch(rb"evt_[A-Za-z0-9]{24}", body)


def test_only_placeholders_change_and_other_bytes_stay_exact() -> None:
    # Not JSON, not UTF-8, with spacing and braces that are not placeholders.
    body = b'\xff\x00 {  "a" :  1 } {{ now }} {not} {{}} \xe9{{seq}}\r\n'
    expanded, unknown = fixed().expand_bytes(body)
    assert expanded == b'\xff\x00 {  "a" :  1 } 1795000000 {not} {{}} \xe91\r\n'
    assert unknown == ()


def test_a_body_without_placeholders_is_the_same_object() -> None:
    body = b'{"plain":true}'
    assert fixed().expand_bytes(body)[0] is body


def test_unknown_names_are_left_as_they_are_and_reported_once_in_order() -> None:
    request = OutgoingRequest(
        "POST", "http://x/", (("X-Trace", "{{trace_id}}"),), b"{{nope}} {{uuid}} {{nope}}"
    )
    expansion = fixed().expand(request)
    assert expansion.request.headers == (("X-Trace", "{{trace_id}}"),)
    assert expansion.request.body.startswith(b"{{nope}} ")
    assert expansion.request.body.endswith(b" {{nope}}")
    assert expansion.unknown == ("trace_id", "nope")


def test_headers_are_expanded_and_keep_latin1_bytes() -> None:
    request = OutgoingRequest(
        "POST", "http://x/", (("X-Delivery", "{{uuid}}"), ("X-Note", "caf\xe9 #{{seq}}")), b""
    )
    headers = dict(fixed(start=3).expand(request).request.headers)
    assert uuid.UUID(headers["X-Delivery"])
    assert headers["X-Note"] == "caf\xe9 #3"


def test_one_clock_reading_and_one_number_per_request() -> None:
    ticks = iter([100.0, 200.0])
    variables = Variables(clock=lambda: next(ticks), sequence=Sequence())
    request = OutgoingRequest("POST", "http://x/", (("T", "{{now}}"),), b"{{now}} {{seq}} {{seq}}")
    first = variables.expand(request).request
    second = variables.expand(request).request
    assert (first.headers, first.body) == ((("T", "100"),), b"100 1 1")
    assert (second.headers, second.body) == ((("T", "200"),), b"200 2 2")


def test_uuids_are_fresh_at_each_occurrence() -> None:
    body, _ = fixed().expand_bytes(b"{{uuid}} {{uuid}} {{random_int}} {{random_int}}")
    first, second, third, fourth = body.split()
    assert first != second
    assert third != fourth


def test_a_seeded_generator_gives_the_same_values() -> None:
    body = b"{{uuid}} {{random_int}} {{random_id}}"
    assert fixed(seed=3).expand_bytes(body) == fixed(seed=3).expand_bytes(body)
    assert fixed(seed=3).expand_bytes(body) != fixed(seed=4).expand_bytes(body)


def test_placeholders_lists_names_once_in_order() -> None:
    assert placeholders(b"{{seq}} {{ uuid }} {{seq}} {{x}}") == ["seq", "uuid", "x"]
    assert placeholders("none here") == []
    assert set(VARIABLES) == {"uuid", "now", "now_iso", "random_int", "random_id", "seq"}


def test_every_listed_name_has_a_value() -> None:
    from hookscope.core.send.variables import VARIABLES, Variables

    variables = Variables()
    assert all(variables.value(name, 1_700_000_000.0, 1) is not None for name in VARIABLES)
    assert variables.value("nope", 1_700_000_000.0, 1) is None
