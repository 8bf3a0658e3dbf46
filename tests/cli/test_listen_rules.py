"""`hookscope listen --rules FILE` as a user runs it: a real subprocess, real HTTP (a file that
stops listen before it starts: the command line in process)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hookscope.core.rules import Action, Rule, Window, save_rules
from tests.cli_inprocess import run_main
from tests.helpers import start_listener


def test_rules_answer_first_and_listen_options_answer_the_rest(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    save_rules(
        rules,
        [
            Rule("flaky", path="/hooks/*", first=2, status=503, headers=(("Retry-After", "1"),)),
            Rule("drop", path="/drop", action=Action.RESET),
            Rule("never", path="/n", window=Window(3600, 7200), status=500),
        ],
    )
    listener = start_listener(tmp_path / "c.db", "--rules", str(rules), "--status", "202")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{listener.port}") as client:
            hooks = [client.post("/hooks/a", content=b"{}") for _ in range(3)]
            with pytest.raises(httpx.TransportError):
                client.post("/drop", content=b"x")
            other = client.post("/n", content=b"")
        records = listener.wait_records(5)
    finally:
        assert listener.stop() == 0
    assert [r.status_code for r in hooks] == [503, 503, 202]  # then the --status answer
    assert hooks[0].headers["retry-after"] == "1"
    assert other.status_code == 202  # outside its window, the rule does not apply
    assert [(r["path"], r["response_status"], r["rule"], r["rejected"]) for r in records] == [
        ("/hooks/a", 503, "flaky", None),
        ("/hooks/a", 503, "flaky", None),
        ("/hooks/a", 202, "listen options", None),
        ("/drop", 0, "drop", "connection-reset"),
        ("/n", 202, "listen options", None),
    ]


def test_rules_and_fail_first_together(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [{"name": "ok", "path": "/ok", "status": 200}]}))
    listener = start_listener(tmp_path / "c.db", "--rules", str(rules), "--fail-first", "1")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{listener.port}") as client:
            statuses = [client.post(path).status_code for path in ("/ok", "/x", "/x")]
        listener.wait_records(3)
    finally:
        listener.stop()
    assert statuses == [200, 503, 200]  # the rule; then --fail-first for what it does not catch


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read rules file {path}: No such file or directory"),
        ("{not json", "{path}: not valid JSON: Expecting property name enclosed in double quotes"),
        (
            '{"rules": [{"name": "a", "path": "/a"}, {"name": "b", "status": 99}]}',
            "{path}: rule 2 ('b'): field 'status': an answer's status is 200 to 599, got 99",
        ),
    ],
)
def test_bad_rules_file_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "rules.json"
    if content is not None:
        path.write_text(content)
    db = tmp_path / "c.db"
    result = run_main("listen", "--port", "0", "--db", str(db), "--rules", str(path))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"hookscope: error: {message.format(path=path)}")
    assert stderr.count("\n") == 1
    assert "Traceback" not in stderr
    assert not db.exists()  # nothing was opened for a run that could not start


def test_stopping_during_a_hold_whose_sender_left_is_clean(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    save_rules(rules, [Rule("hang", action=Action.HOLD, hold_s=3600)])
    listener = start_listener(tmp_path / "c.db", "--rules", str(rules))
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"http://127.0.0.1:{listener.port}/slow", content=b"x", timeout=0.2)
        (record,) = listener.wait_records(1)
    finally:
        code = listener.stop()
    assert code == 0
    assert record["rejected"] == "held-then-closed"
    assert listener.proc.stderr is not None
    assert listener.proc.stderr.read() == b""  # no "Task was destroyed but it is pending!"
