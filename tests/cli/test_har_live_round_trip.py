"""The README's promise for live captures: `export --format har`, `import` into a fresh store,
export again: the same bytes (timings included)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_inprocess import run_main
from tests.helpers import exchange, start_listener


def test_live_captures_export_import_export_same_bytes(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    listener = start_listener(db)
    try:
        for n in range(5):
            body = b'{"n":%d,"pad":"%s"}' % (n, b"x" * (n * 997))
            head = b"POST /hooks/%d?x=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n" % (n, n)
            exchange(listener.port, head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        listener.wait_records(5)
    finally:
        assert listener.stop() == 0
    first = run_main("export", "--db", str(db), "--format", "har")
    assert first.returncode == 0, first.stderr
    assert b'"time":0,' not in first.stdout  # the live read times are there to lose
    exported = tmp_path / "live.har"
    exported.write_bytes(first.stdout)
    fresh = tmp_path / "fresh.db"
    imported = run_main("import", str(exported), "--db", str(fresh))
    assert imported.returncode == 0, imported.stderr
    again = run_main("export", "--db", str(fresh), "--format", "har")
    assert again.stdout == first.stdout


def test_a_browser_https_entry_keeps_its_scheme_and_host_through_the_store(
    tmp_path: Path,
) -> None:
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "entries": [
                {
                    "startedDateTime": "2026-11-27T08:19:52.123Z",
                    "time": 12.5,
                    "request": {
                        "method": "POST",
                        "url": "https://hooks.example.com:8443/stripe?x=1",
                        "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "queryString": [{"name": "x", "value": "1"}],
                        "cookies": [],
                        "headersSize": -1,
                        "bodySize": 7,
                        "postData": {"mimeType": "application/json", "text": '{"a":1}'},
                    },
                    "response": {
                        "status": 200,
                        "statusText": "OK",
                        "httpVersion": "HTTP/1.1",
                        "headers": [],
                        "cookies": [],
                        "content": {"size": 0, "mimeType": "text/plain"},
                        "redirectURL": "",
                        "headersSize": -1,
                        "bodySize": 0,
                    },
                    "cache": {},
                    "timings": {"send": 0.5, "wait": 11, "receive": 1},
                }
            ],
        }
    }
    source = tmp_path / "browser.har"
    source.write_text(json.dumps(har))
    db = tmp_path / "store.db"
    imported = run_main("import", str(source), "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    exported = run_main("export", "--db", str(db), "--format", "har")
    assert exported.returncode == 0, exported.stderr
    entry = json.loads(exported.stdout)["log"]["entries"][0]
    assert entry["request"]["url"] == "https://hooks.example.com:8443/stripe?x=1"
