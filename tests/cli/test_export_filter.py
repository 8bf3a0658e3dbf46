"""`hookscope export --filter`: the inspector's query language on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.factories import make_capture


def test_export_only_matching_captures(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_many(
            [
                make_capture(target="/hooks/a", response_status=200, body=b'{"amount":10}'),
                make_capture(target="/hooks/b", response_status=503, body=b'{"amount":5000}'),
                make_capture(method="GET", target="/health", response_status=200, body=b""),
            ]
        )
    result = run_main(
        "export",
        "--db",
        str(db),
        "--format",
        "ndjson",
        "--filter",
        "method:POST (status:>=500 OR json:$.amount>1000)",
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["target"] for line in result.stdout.splitlines()] == ["/hooks/b"]


def test_bad_filter_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_main(
        "export", "--db", str(tmp_path / "none.db"), "--format", "ndjson", "--filter", "stauts:200"
    )
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert "unknown field 'stauts'" in lines[0]
    assert not (tmp_path / "none.db").exists()
