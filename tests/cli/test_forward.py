"""`listen --forward …` and `hookscope forward` as a user runs them: a real listen subprocess,
`forward` and the option errors in process, a real handler, one-line errors for bad options."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hookscope.core.store import Store, outbox
from tests.cli_inprocess import run_main
from tests.core.factories import make_capture
from tests.handler import Handler
from tests.helpers import start_listener, wait_for


@pytest.fixture
def handler() -> Iterator[Handler]:
    running = Handler().start()
    yield running
    running.stop()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--forward", "ftp://h"], "URL: expected an http:// or https:// URL"),
        (["--forward", "http://h", "--forward-mode", "later"], "--forward-mode: expected one of"),
        (["--forward-timeout", "3"], "--forward-timeout goes with --forward URL"),
        (["--forward", "http://h", "--forward-timeout", "x"], "--forward-timeout: expected a"),
        (["--forward", "http://h", "--forward-resign", "stripe"], "needs --forward-secret-env"),
        (
            ["--forward", "http://h", "--forward-resign", "stripe", "--forward-secret-env", "NOPE"],
            "the variable NOPE is not set",
        ),
        (["--forward", "http://h", "--forward-retry", "weekly"], "unknown policy 'weekly'"),
        (["--forward", "http://h", "--forward-attempts", "3"], "go with --forward-retry POLICY"),
        (["--forward", "http://h", "--forward", "http://h"], "given twice"),
    ],
)
def test_bad_forward_options_are_one_line_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_main("listen", "--port", "0", "--db", str(tmp_path / "c.db"), *args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.startswith("hookscope: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not (tmp_path / "c.db").exists()  # stopped before anything was opened


def test_a_bad_forward_target_in_the_rules_file_is_one_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text('{"version": 1, "forward": [{"name": "app", "url": "http://h", "x": 1}]}')
    db = str(tmp_path / "c.db")
    result = run_main("listen", "--port", "0", "--db", db, "--rules", str(rules))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"hookscope: error: {rules}: target 1 ('app'): field 'x': unknown field (fields: "
        "append_path, forwarded_headers, host, mode, name, parallel, path, paused, resign, "
        "response_cap, retry, secret_env, timeout_s, url)\n"
    )


def test_listen_queue_mode_ndjson_says_queued_and_the_handler_gets_it(
    tmp_path: Path, handler: Handler
) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps({"version": 1, "forward": [
            {"name": "audit", "url": handler.url, "path": "/audit/*", "mode": "queue"}]})
    )  # fmt: skip
    listener = start_listener(
        tmp_path / "c.db", "--rules", str(rules), "--forward", handler.url, "--forward-mode",
        "queue", "--forward-path", "/hooks/*",
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{listener.port}"
        assert httpx.post(f"{base}/hooks/1", content=b"a").status_code == 200
        assert httpx.post(f"{base}/audit/1", content=b"b").status_code == 200
        assert httpx.post(f"{base}/other", content=b"c").status_code == 200
        first, second, third = listener.wait_records(3)
        handler.wait(2)
    finally:
        assert listener.stop() == 0
    assert first["forward"] == [{"target": handler.url, "mode": "queue", "state": "queued"}]
    assert second["forward"] == [{"target": "audit", "mode": "queue", "state": "queued"}]
    assert third["forward"] == []
    assert sorted(r.target for r in handler.received) == ["/audit/1", "/hooks/1"]


def _store_with(db: Path, count: int) -> None:
    with Store.open(db) as store:
        for n in range(count):
            store.add(make_capture(target=f"/hooks/{n}", body=f'{{"n":{n}}}'.encode()))
        store.add(make_capture(target="/refused", body=b"", rejected="body-too-large"))


def test_forward_ids_to_a_handler(tmp_path: Path, handler: Handler) -> None:
    db = tmp_path / "c.db"
    _store_with(db, 3)
    result = run_main("forward", "1", "#3", "--to", handler.url, "--db", str(db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"#1 POST {handler.url}/hooks/0 → 200 \(\d+ ms\)", lines[0])
    assert lines[1].startswith(f"#3 POST {handler.url}/hooks/2 → 200 (")
    assert [r.body for r in handler.received] == [b'{"n":0}', b'{"n":2}']
    assert result.stderr.decode().endswith("2 of 2 delivered\n")
    with Store.open(db) as store:
        (attempt,) = outbox.attempts_for(store.reader(), 3)
        assert attempt.target == "manual"
        assert attempt.status == 200


def test_forward_by_filter_in_order_with_retries_exits_1_when_one_fails(
    tmp_path: Path, handler: Handler
) -> None:
    db = tmp_path / "c.db"
    _store_with(db, 4)
    handler.fail_first = 2
    result = run_main(
        "forward", "--filter", "path:/hooks/*", "--to", handler.url, "--db", str(db), "--json",
        "--retry", "fixed", "--attempts", "2", "--base", "0",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["capture_id"], r["attempt"], r["status"], r["state"]) for r in records] == [
        (1, 1, 500, "pending"),
        (1, 2, 500, "failed"),
        (2, 1, 200, "delivered"),
        (3, 1, 200, "delivered"),
        (4, 1, 200, "delivered"),
    ]
    assert "3 of 4 delivered" in result.stderr.decode()
    handler.status = 500
    failed = run_main("forward", "2", "--to", handler.url, "--db", str(db))
    assert failed.returncode == 1
    assert "→ 500" in failed.stdout.decode()


def test_forward_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    _store_with(db, 1)
    for args, message in [
        (["--to", "http://h"], "give capture ids or --filter EXPR"),
        (["9", "--to", "http://h"], "no capture with id 9"),
        (["x", "--to", "http://h"], "'x' is not a capture id"),
        (["1", "--to", "mailto:x"], "URL: expected an http:// or https:// URL"),
        (["--filter", "status:>>", "--to", "http://h"], ""),
    ]:
        result = run_main("forward", *args, "--db", str(db))
        assert result.returncode == 2, args
        err = result.stderr.decode()
        assert err.startswith("hookscope: error: "), err
        assert message in err
        assert "Traceback" not in err


def test_forward_reports_refused_captures_as_not_forwarded(
    tmp_path: Path, handler: Handler
) -> None:
    db = tmp_path / "c.db"
    _store_with(db, 1)
    result = run_main("forward", "1", "2", "--to", handler.url, "--db", str(db))
    assert result.returncode == 1
    assert "1 of 2 delivered (1 refused by hookscope when received" in result.stderr.decode()
    wait_for(lambda: len(handler.received) == 1)
