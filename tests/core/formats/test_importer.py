from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.formats import har, ndjson
from hookscope.core.formats.importer import detect_format, import_file
from hookscope.core.store import Store
from tests.core.formats.corpus import corpus


def har_bytes(pretty: bool = False) -> bytes:
    out = io.BytesIO()
    har.write(corpus()[:3], out)
    return json.dumps(json.loads(out.getvalue()), indent=2).encode() if pretty else out.getvalue()


def ndjson_bytes() -> bytes:
    out = io.BytesIO()
    ndjson.write(corpus()[:3], out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (har_bytes(), "x.txt", "har"),
        (har_bytes(pretty=True), "x", "har"),
        (b"\xef\xbb\xbf" + har_bytes(pretty=True), "x.har", "har"),
        (ndjson_bytes(), "x.har", "ndjson"),  # content wins over the name
        (ndjson_bytes(), "x", "ndjson"),
        (b"[]", "x", "json"),
        (b'{"broken\n', "x.ndjson", "ndjson"),  # the name decides what cannot be told
        (b'{"broken\n', "x.har", "har"),
    ],
)
def test_format_is_told_by_content(data: bytes, name: str, kind: str) -> None:
    assert detect_format(data, name) == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "x is empty"), (b"  \n", "x is empty"), (b"<html>", "x is neither HAR nor NDJSON")],
)
def test_unrecognisable_files(data: bytes, message: str) -> None:
    with pytest.raises(HookscopeError, match=message):
        detect_format(data, "x")


def test_a_bad_entry_imports_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.ndjson"
    good.write_bytes(ndjson_bytes())
    lines = ndjson_bytes().splitlines()
    lines[2] = b'{"method": "POST"}'
    bad = tmp_path / "bad.ndjson"
    bad.write_bytes(b"\n".join(lines))
    with Store.open(tmp_path / "c.db") as store:
        assert len(import_file(store, good)) == 3
        with pytest.raises(HookscopeError, match=r"bad\.ndjson, line 3: missing field"):
            import_file(store, bad)
        assert store.count() == 3


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store, pytest.raises(HookscopeError, match="cannot read"):
        import_file(store, tmp_path / "nope.har")
