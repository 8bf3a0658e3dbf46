from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from hookscope.core.bodyview import (
    MAX_DECODED,
    decode_content,
    hex_dump,
    inspect_body,
    parse_form,
    parse_json_document,
    parse_multipart,
    pretty_json,
)
from tests.core.factories import deep_json

JSON = b'{"type":"order_created","amount":4200}'


@pytest.mark.parametrize(
    ("encoded", "coding"),
    [
        (gzip.compress(JSON), "gzip"),
        (zlib.compress(JSON), "deflate"),
        (zlib.compress(JSON)[2:-4], "deflate"),  # raw deflate, as some senders do
        (brotli.compress(JSON), "br"),
        (gzip.compress(brotli.compress(JSON)), "br, gzip"),
    ],
)
def test_content_encodings_are_decoded_for_viewing(encoded: bytes, coding: str) -> None:
    shown, note = decode_content(encoded, coding)
    assert shown == JSON
    assert "for viewing" in note
    assert f"{len(encoded):,} compressed bytes" in note


def test_corrupt_or_unknown_encoding_shows_stored_bytes_with_reason() -> None:
    shown, note = decode_content(b"not gzip", "gzip")
    assert shown == b"not gzip"
    assert note.startswith("could not decode gzip")
    shown, note = decode_content(b"x", "compress")
    assert shown == b"x"
    assert "unknown Content-Encoding 'compress'" in note


def test_decompression_bomb_is_refused() -> None:
    bomb = gzip.compress(b"\0" * (80 * 1024 * 1024))
    shown, note = decode_content(bomb, "gzip")
    assert shown == bomb
    assert "could not decode gzip" in note


@pytest.mark.parametrize(
    ("body", "content_type", "kind", "first_view"),
    [
        (JSON, "application/json", "json", "tree"),
        (JSON, "text/plain", "json", "tree"),  # a clean parse wins over the label
        (b"a=1&b=2", "application/x-www-form-urlencoded", "form", "form"),
        (b"--X\r\n\r\nv\r\n--X--", "multipart/form-data; boundary=X", "multipart", "multipart"),
        (b"hello \xc3\xa9", "text/plain", "text", "raw"),
        (b"\x00\x01\x02", "application/octet-stream", "binary", "hex"),
        (b"", "", "empty", "raw"),
        (b"{broken", "application/json", "text", "raw"),
    ],
)
def test_inspect_picks_views(body: bytes, content_type: str, kind: str, first_view: str) -> None:
    result = inspect_body(body, content_type)
    assert result.kind == kind
    assert result.views[0] == first_view


def test_form_and_multipart_keep_order_and_repeats() -> None:
    assert parse_form(b"a=1&a=2&b=&c=%20x") == [("a", "1"), ("a", "2"), ("b", ""), ("c", " x")]
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--XX--\r\n"
    )
    parts = parse_multipart(body, "multipart/form-data; boundary=XX")
    assert [(p.name, p.filename, p.value) for p in parts] == [
        ("a", None, b"1"),
        ("f", "x.bin", b"\x00\x01"),
    ]
    with pytest.raises(ValueError, match="boundary"):
        parse_multipart(body, "multipart/form-data")


def test_hex_dump_rows_and_limit() -> None:
    dump = hex_dump(bytes(range(20)), limit=16)
    lines = dump.splitlines()
    assert lines[0] == (
        "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|"
    )
    assert lines[-1] == "… 4 more bytes (save the body to see them all)"


def test_pretty_json() -> None:
    assert pretty_json(b'{"a":[1,2]}') == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    with pytest.raises(ValueError, match="Expecting value"):
        pretty_json(b"nope")


def test_parse_json_document_keeps_big_integers_and_restores_gc() -> None:
    import gc

    from hookscope.core.bodyview import parse_json_document

    assert parse_json_document(b'{"a":[1,2.5,"x"]}') == {"a": [1, 2.5, "x"]}
    assert parse_json_document(b'{"n":123456789012345678901234567890}') == {
        "n": 123456789012345678901234567890
    }
    assert gc.isenabled()
    with pytest.raises(ValueError, match="line 1 column 1"):
        parse_json_document(b"nope")
    assert gc.isenabled()


def _bomb(coding: str, size: int) -> bytes:
    """`size` zero bytes compressed, built a megabyte at a time (the test stays small)."""
    chunk = b"\0" * (1 << 20)
    if coding == "br":
        packer = brotli.Compressor(quality=1)
        parts = [packer.process(chunk) for _ in range(size // len(chunk))]
        return b"".join([*parts, packer.finish()])
    deflater = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip framing
    parts = [deflater.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, deflater.flush()])


@pytest.mark.parametrize(("coding", "size"), [("br", 1 << 30), ("gzip", 2 * MAX_DECODED)])
def test_a_decompression_bomb_stops_at_the_cap_with_a_note(coding: str, size: int) -> None:
    bomb = _bomb(coding, size)
    shown, note = decode_content(bomb, coding)
    assert shown == bomb  # the stored bytes are shown instead
    assert note == (
        f"could not decode {coding} (more than {MAX_DECODED:,} bytes once decoded): "
        "showing the stored bytes"
    )


def test_a_brotli_body_up_to_the_cap_decodes() -> None:
    body = b'{"ok":true}' + b" " * (1 << 20)
    shown, note = decode_content(brotli.compress(body, quality=1), "br")
    assert shown == body
    assert note.startswith("decoded from br for viewing")


@pytest.mark.parametrize("depth", [1000, 3000])
def test_json_nested_too_deep_is_shown_as_text_with_a_note(depth: int) -> None:
    body = deep_json(depth)
    inspection = inspect_body(body, "application/json")
    assert inspection.kind == "text"
    assert inspection.views == ["raw", "hex"]
    assert "JSON nested more than 250 levels deep: shown as text" in inspection.encoding_note
    with pytest.raises(ValueError, match="nested too deep"):
        parse_json_document(body)
    with pytest.raises(ValueError, match="nested too deep"):
        pretty_json(body)


def test_json_as_deep_as_the_limit_is_a_tree() -> None:
    body = deep_json(250)
    assert inspect_body(body, "application/json").kind == "json"
    assert parse_json_document(body)["type"] == "deep"
    assert pretty_json(body).count("\n") > 500


def test_integers_of_19_digits_and_more_stay_exact_wherever_they_are() -> None:
    # 19 digits fit orjson, 20 may not (beyond 2**64): both take the exact parse past 18.
    body = b'{"a":[1,2],"b":1234567890123456789,"c":{"d":-98765432109876543210}}'
    assert parse_json_document(body) == {
        "a": [1, 2],
        "b": 1234567890123456789,
        "c": {"d": -98765432109876543210},
    }
    assert parse_json_document(b"[123456789012345678]") == [123456789012345678]
