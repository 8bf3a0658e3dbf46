from __future__ import annotations

import json
from pathlib import Path

from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.factories import make_capture


def test_diff_prints_differences_and_exits_like_diff(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add_many([
            make_capture(body=b'{"amount":10,"type":"x"}'),
            make_capture(body=b'{"type": "x", "amount": 12}'),
            make_capture(body=b'{"type":"x","amount":10}'),
        ])
    changed = run_main("diff", "1", "2", "--db", str(db))
    assert changed.returncode == 1
    assert changed.stdout.decode().splitlines() == ["~ body $.amount: 10 -> 12"]
    same = run_main("diff", "1", "3", "--db", str(db))
    assert same.returncode == 0  # key order and spacing do not count
    assert same.stdout.decode().strip() == "#1 and #3 are the same"
    as_json = json.loads(run_main("diff", "1", "2", "--db", str(db), "--json").stdout)
    assert as_json["changes"] == [
        {"where": "body", "path": "$.amount", "kind": "changed", "before": "10", "after": "12"}
    ]


def test_diff_of_a_missing_capture_is_one_line_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.add(make_capture())
    result = run_main("diff", "1", "9", "--db", str(db))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == f"hookscope: error: no capture #9 in {db}"
