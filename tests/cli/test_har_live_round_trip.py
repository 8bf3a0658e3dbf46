"""The README's promise for live captures: `export --format har`, `import` into a fresh store,
export again: the same bytes (timings included)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import exchange, run_cli, start_listener


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
    first = run_cli("export", "--db", str(db), "--format", "har")
    assert first.returncode == 0, first.stderr
    assert b'"time":0,' not in first.stdout  # the live read times are there to lose
    exported = tmp_path / "live.har"
    exported.write_bytes(first.stdout)
    fresh = tmp_path / "fresh.db"
    imported = run_cli("import", str(exported), "--db", str(fresh))
    assert imported.returncode == 0, imported.stderr
    again = run_cli("export", "--db", str(fresh), "--format", "har")
    assert again.stdout == first.stdout
