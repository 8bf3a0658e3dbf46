"""The rules file: what it accepts, what it refuses (and how it says so), and that what the app
saves loads back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hookscope.core.rules import (
    Action,
    Rule,
    RulesError,
    Window,
    dump_rules,
    load_rules,
    parse_rules,
    save_rules,
)

EXAMPLE = """{
  "version": 1,
  "rules": [
    {"name": "flaky", "path": "/hooks/*", "methods": ["post"], "first": 2, "status": 503,
     "headers": [["Retry-After", "5"], ["X-Why", "testing"]], "body": "try again\\n"},
    {"name": "outage", "window": {"from_s": 30, "until_s": 90}, "path": "*",
     "action": "reset", "delay_s": 0.5},
    {"name": "slow", "path": "/slow", "action": "hold", "hold_s": 20},
    {"path": "/bin", "body_b64": "AP8=", "headers": {"Content-Type": "application/x-bin"}},
    {"name": "off", "path": "/off", "enabled": false, "status": 500}
  ]
}"""


def test_example_file_parses_to_the_rules_it_describes() -> None:
    flaky, outage, slow, binary, off = parse_rules(EXAMPLE)
    assert flaky == Rule(
        "flaky",
        path="/hooks/*",
        methods=("POST",),
        first=2,
        status=503,
        headers=(("Retry-After", "5"), ("X-Why", "testing")),
        body=b"try again\n",
    )
    assert outage == Rule("outage", window=Window(30, 90), action=Action.RESET, delay_s=0.5)
    assert slow == Rule("slow", path="/slow", action=Action.HOLD, hold_s=20)
    assert binary == Rule(
        "rule 4", path="/bin", body=b"\x00\xff", headers=(("Content-Type", "application/x-bin"),)
    )
    assert off.enabled is False


def test_saved_rules_load_back_equal(tmp_path: Path) -> None:
    rules = parse_rules(EXAMPLE)
    path = tmp_path / "rules.json"
    save_rules(path, rules)
    assert load_rules(path) == rules
    assert [p.name for p in tmp_path.iterdir()] == ["rules.json"]  # no temporary left behind
    saved = json.loads(path.read_text())
    assert saved["version"] == 1
    # Only what the action uses is written: a hold has no status, a reset no headers.
    assert saved["rules"][2] == {"name": "slow", "path": "/slow", "action": "hold", "hold_s": 20}
    assert saved["rules"][3]["body_b64"] == "AP8="  # bytes that are not UTF-8 stay exact


def test_fields_an_action_does_not_use_are_not_saved() -> None:
    # The app may keep a status on a rule whose action it switched to reset.
    rule = Rule("r", action=Action.RESET, status=503, body=b"x", headers=(("A", "b"),))
    saved = json.loads(dump_rules([rule]))["rules"][0]
    assert saved == {"name": "r", "path": "*", "action": "reset"}
    assert parse_rules(dump_rules([rule])) == (Rule("r", action=Action.RESET),)


def test_empty_rule_list_is_valid() -> None:
    assert parse_rules('{"rules": []}') == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "rules.json: not valid JSON: Expecting property name"),
        ("[]", 'rules.json: expected an object {"version": 1, "rules": [...]}'),
        ('{"rules": {}}', 'rules.json: "rules" must be a list of rules'),
        ('{"version": 2, "rules": []}', "rules.json: unsupported version 2"),
        ('{"rules": [], "extra": 1}', "rules.json: unknown field 'extra'"),
        ('{"rules": [3]}', "rules.json: rule 1: expected an object"),
        (
            '{"rules": [{"name": "a", "stauts": 500}]}',
            "rules.json: rule 1 ('a'): field 'stauts': unknown field (fields: action, body,",
        ),
        (
            '{"rules": [{}, {"name": "b", "status": 700}]}',
            "rules.json: rule 2 ('b'): field 'status': an answer's status is 200 to 599, got 700",
        ),
        (
            '{"rules": [{"status": "503"}]}',
            "rules.json: rule 1: field 'status': expected a whole number, got \"503\"",
        ),
        (
            '{"rules": [{"action": "reset", "status": 503}]}',
            "rules.json: rule 1: field 'status': a reset rule does not use this field",
        ),
        (
            '{"rules": [{"action": "explode"}]}',
            "rules.json: rule 1: field 'action': expected one of respond, hold, reset, got "
            "'explode'",
        ),
        (
            '{"rules": [{"action": "hold"}]}',
            "rules.json: rule 1: field 'hold_s': a hold rule needs 'hold_s', seconds > 0",
        ),
        (
            '{"rules": [{"path": "hooks/*"}]}',
            "rules.json: rule 1: field 'path': a path pattern starts with '/' or '*', got "
            "'hooks/*'",
        ),
        (
            '{"rules": [{"first": 0}]}',
            "rules.json: rule 1: field 'first': 'first' counts requests: 1 or more, got 0",
        ),
        (
            '{"rules": [{"window": {"from_s": 50, "until_s": 10}}]}',
            "rules.json: rule 1: field 'window': 'until_s' must be later than 'from_s'",
        ),
        (
            '{"rules": [{"window": [0, 10]}]}',
            'rules.json: rule 1: field \'window\': expected {"from_s": seconds, "until_s": '
            "seconds}, got [0, 10]",
        ),
        (
            '{"rules": [{"delay_s": 4000}]}',
            "rules.json: rule 1: field 'delay_s': expected seconds >= 0 up to 3600, got 4000",
        ),
        (
            '{"rules": [{"headers": [["Bad Name", "x"]]}]}',
            "rules.json: rule 1: field 'headers': 'Bad Name' is not a valid header name",
        ),
        (
            '{"rules": [{"headers": [["X-A", "one\\r\\nX-B: two"]]}]}',
            "rules.json: rule 1: field 'headers': the value of X-A contains a line break or NUL",
        ),
        (
            '{"rules": [{"headers": [["Content-Length", "3"]]}]}',
            "rules.json: rule 1: field 'headers': Content-Length is set by the receiver",
        ),
        (
            '{"rules": [{"status": 204, "body": "x"}]}',
            "rules.json: rule 1: field 'body': a 204 answer has no body",
        ),
        (
            '{"rules": [{"body": "x", "body_b64": "eA=="}]}',
            "rules.json: rule 1: field 'body': give 'body' or 'body_b64', not both",
        ),
        (
            '{"rules": [{"body_b64": "not base64!"}]}',
            "rules.json: rule 1: field 'body_b64': not valid base64",
        ),
        (
            '{"rules": [{"methods": "POST"}]}',
            "rules.json: rule 1: field 'methods': expected a list of methods such as [\"POST\"]",
        ),
        (
            '{"rules": [{"name": "x"}, {"name": "x"}]}',
            "rules.json: rule 2 ('x'): field 'name': rule 1 has the same name",
        ),
        (
            '{"rules": [{"name": ""}]}',
            "rules.json: rule 1 (''): field 'name': a rule's name is 1 to 100 printable",
        ),
    ],
)
def test_bad_files_are_reported_in_one_line_naming_rule_and_field(text: str, message: str) -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, source="rules.json")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_unreadable_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"cannot read rules file .*missing\.json: No such file"):
        load_rules(tmp_path / "missing.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"rules": [{"body": "caf\xe9"}]}')
    with pytest.raises(RulesError, match=r"latin\.json: not UTF-8 text"):
        load_rules(latin)
