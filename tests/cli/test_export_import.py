"""`hookscope export` and `hookscope import` as a user runs them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from hookscope.core.formats.importer import read_captures
from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.formats.corpus import corpus

FORMATS = ["har", "ndjson", "json", "csv", "curl"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "captures.db"
    with Store.open(path) as store:
        store.add_many(corpus())
    return path


def export(db: Path, *args: str) -> bytes:
    result = run_main("export", "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def count(db: Path) -> int:
    with Store.open(db) as store:
        return store.count()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_a_file_matches_stdout(db: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{fmt}"
    result = run_main("export", "--db", str(db), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == export(db, "--format", fmt)
    assert (
        f"exported {len(corpus()) if fmt != 'curl' else len(corpus()) - 2} captures".encode()
        in result.stderr
    )


def test_redact_options_mask_what_they_name(db: Path) -> None:
    data = export(
        db,
        "--format",
        "ndjson",
        "--redact-header",
        "X-Latin",
        "--redact-query",
        "y",
        "--redact-json",
        "$.items[0].text",
    )
    records = [json.loads(line) for line in data.splitlines()]
    latin = next(r for r in records if r["target"] == "/latin")
    assert ["X-Latin", "REDACTED"] in latin["headers"]
    odd = next(r for r in records if r["target"].startswith("/p%2Fa"))
    assert odd["target"] == "/p%2Fa%20th/%zz/%E2%82%AC/%?x=%00&y=REDACTED&&z"
    big = next(r for r in records if r["target"] == "/big")
    assert json.loads(base64.b64decode(big["body_b64"]))["items"][0]["text"] == "REDACTED"
    assert all("redacted" in r for r in records)


def test_redact_default_profile_masks_cookies(db: Path) -> None:
    data = export(db, "--format", "har", "--redact")
    assert b"a=REDACTED; b=REDACTED" in data
    assert b"sid=REDACTED; Path=/; HttpOnly" in data
    assert b'"comment":"redacted by hookscope: secrets masked in ' in data


def test_curl_url_option_sets_the_scripts_default_target(db: Path) -> None:
    data = export(db, "--format", "curl", "--url", "http://localhost:3000/api")
    assert b'HOOKSCOPE_URL="${1:-http://localhost:3000/api}"' in data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "ftp://x"], b"the curl target must be an http:// or https:// URL"),
        (["--redact-json", "$.[["], b"bad JSON path '$.[['"),
    ],
)
def test_bad_options_exit_2_with_one_line(db: Path, args: list[str], message: bytes) -> None:
    result = run_main("export", "--db", str(db), "--format", "har", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(b"hookscope: error: ")
    assert message in result.stderr
    assert result.stderr.count(b"\n") == 1


@pytest.mark.parametrize("fmt", ["har", "ndjson"])
def test_import_round_trip_into_a_fresh_store(db: Path, fmt: str, tmp_path: Path) -> None:
    exported = tmp_path / f"captures.{fmt}"
    exported.write_bytes(export(db, "--format", fmt))
    fresh = tmp_path / "fresh.db"
    result = run_main("import", str(exported), "--db", str(fresh))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"imported {len(corpus())} captures from ".encode())
    again = export(fresh, "--format", fmt)
    assert again == exported.read_bytes()
    for original, imported in zip(corpus(), read_captures(again), strict=True):
        assert (imported.method, imported.target) == (original.method, original.target)
        assert (imported.headers, imported.body) == (original.headers, original.body)


def test_import_from_stdin(tmp_path: Path, db: Path) -> None:
    fresh = tmp_path / "fresh.db"
    result = run_main("import", "-", "--db", str(fresh), stdin=export(db, "--format", "ndjson"))
    assert result.returncode == 0, result.stderr
    assert count(fresh) == len(corpus())


def _har(entries: object) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": entries}}).encode()


GOOD_LINE = json.dumps(
    {"received_at": "2026-01-01T00:00:00Z", "method": "POST", "target": "/a"}
).encode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.ndjson", GOOD_LINE + b"\n" + GOOD_LINE + b"\n{oops\n", b"bad.ndjson, line 3: "),
        (
            "missing.ndjson",
            GOOD_LINE + b'\n{"received_at": "2026-01-01T00:00:00Z", "target": "/b"}\n',
            b"missing.ndjson, line 2: missing field 'method'",
        ),
        ("nolog.har", b'{"log": {"version": "1.2"}}', b"nolog.har: HAR has no 'log.entries' list"),
        (
            "b64.har",
            _har(
                [
                    {
                        "startedDateTime": "2026-01-01T00:00:00Z",
                        "request": {
                            "method": "POST",
                            "url": "http://h/",
                            "postData": {"mimeType": "", "text": "%%", "_encoding": "base64"},
                        },
                    }
                ]
            ),
            b"b64.har: log.entries[0].request.postData: 'text' is not valid base64",
        ),
        (
            "nourl.har",
            _har([{"startedDateTime": "2026-01-01T00:00:00Z", "request": {"method": "GET"}}]),
            b"nourl.har: log.entries[0].request: missing 'url'",
        ),
        ("empty.har", b"", b"is empty"),
    ],
)
def test_bad_imports_exit_2_name_the_place_and_change_nothing(
    db: Path, name: str, data: bytes, message: bytes, tmp_path: Path
) -> None:
    target = tmp_path / "target.db"
    with Store.open(target) as store:
        store.add_many(corpus()[:2])
    before = export(target, "--format", "ndjson")
    path = tmp_path / name
    path.write_bytes(data)
    result = run_main("import", str(path), "--db", str(target))
    assert result.returncode == 2
    assert result.stderr.startswith(b"hookscope: error: ")
    assert message in result.stderr, result.stderr
    assert result.stderr.count(b"\n") == 1
    assert b"Traceback" not in result.stderr
    assert export(target, "--format", "ndjson") == before


def test_a_bad_import_does_not_create_a_store(tmp_path: Path) -> None:
    path = tmp_path / "bad.har"
    path.write_bytes(b"<html>")
    result = run_main("import", str(path), "--db", str(tmp_path / "new.db"))
    assert result.returncode == 2
    assert not (tmp_path / "new.db").exists()


def test_export_filter_by_signature_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
    from hookscope.core.signing import SCHEMES
    from tests.core.factories import make_capture

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"type":"invoice.paid"}'
    now = int(time.time())
    good = SCHEMES["stripe"].sign(body, secret, timestamp=now)
    bad = SCHEMES["stripe"].sign(body, "whsec_" + "B" * 32, timestamp=now)
    db = tmp_path / "sig.db"
    with Store.open(db) as store:
        store.add_many(
            [
                make_capture(
                    target="/pay/good", body=body, headers=tuple(good), received_us=now * 10**6
                ),
                make_capture(
                    target="/pay/bad", body=body, headers=tuple(bad), received_us=now * 10**6
                ),
            ]
        )
    config = tmp_path / "config"
    monkeypatch.setenv("HOOKSCOPE_CONFIG_DIR", str(config))
    config.mkdir()
    SignatureSettings([SignatureSetting("/pay/*", "stripe", (secret,))]).save(
        config / "signatures.json"
    )
    for query, path in (("sig:valid", "/pay/good"), ("sig:bad-signature", "/pay/bad")):
        out = export(db, "--format", "ndjson", "--filter", query)
        records = [json.loads(line) for line in out.splitlines()]
        assert [r["target"] for r in records] == [path], query
