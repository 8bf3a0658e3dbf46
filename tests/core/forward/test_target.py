"""Forward targets: validation, path matching, URLs; and their place in the rules file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hookscope.core.forward import ForwardTarget, HostMode, Mode, TargetError, load_targets
from hookscope.core.rules import RulesError, load_rules


def test_a_base_url_gets_the_captures_path_and_query() -> None:
    target = ForwardTarget("app", "http://localhost:3000/api/")
    assert target.url_for("/hooks/stripe?x=1&y") == "http://localhost:3000/api/hooks/stripe?x=1&y"
    assert target.url_for("http://proxy.example/abs?q") == "http://localhost:3000/api/abs?q"
    fixed = ForwardTarget("app", "http://localhost:3000/in", append_path=False)
    assert fixed.url_for("/hooks/stripe?x=1") == "http://localhost:3000/in"


def test_the_path_glob_is_the_fault_rules_glob() -> None:
    target = ForwardTarget("app", "http://h", path="/hooks/*")
    assert target.matches("/hooks/stripe/live?x")
    assert target.matches("/hooks/%E2%82%AC")
    assert not target.matches("/other")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"url": "ftp://h"}, "url"),
        ({"url": "http://"}, "url"),
        ({"path": "hooks"}, "path"),
        ({"timeout_s": 0}, "timeout_s"),
        ({"parallel": 0}, "parallel"),
        ({"resign": "stripe"}, "resign"),
        ({"name": " "}, "name"),
    ],
)
def test_invalid_targets_name_the_field(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"name": "app", "url": "http://localhost:3000"}
    with pytest.raises(TargetError) as caught:
        ForwardTarget(**{**base, **kwargs})  # type: ignore[arg-type]
    assert caught.value.field == field


def test_rules_file_holds_forward_targets_beside_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        '{"version": 1, "rules": [{"name": "slow", "path": "/slow", "action": "hold", '
        '"hold_s": 1}], "forward": [{"name": "app", "url": "http://localhost:3000", '
        '"path": "/hooks/*", "mode": "queue", "retry": {"policy": "fixed", "attempts": 3, '
        '"base": 0.5}, "timeout_s": 2, "host": "rewrite", "forwarded_headers": true, '
        '"parallel": 2}, {"url": "http://localhost:4000", "resign": "stripe", '
        '"secret_env": "HANDLER_SECRET"}]}'
    )
    assert [r.name for r in load_rules(path)] == ["slow"]
    app, other = load_targets(path, environ={"HANDLER_SECRET": "whsec_abc"})
    assert app.mode is Mode.QUEUE
    assert app.policy.attempts == 3
    assert app.policy.delays_s == (0.5, 0.5)
    assert app.host is HostMode.REWRITE
    assert app.forwarded_headers
    assert app.parallel == 2
    assert other.name == "http://localhost:4000"
    assert other.mode is Mode.PASS_THROUGH
    assert other.secret == "whsec_abc"
    assert "whsec_abc" not in repr(other)


@pytest.mark.parametrize(
    ("forward", "message"),
    [
        ('{"url": "http://h", "colour": 1}', "target 1: field 'colour': unknown field"),
        ('{"name": "a", "url": 3}', "target 1 ('a'): field 'url': expected a string"),
        ('{"url": "http://h", "mode": "later"}', "field 'mode': expected one of pass-through"),
        ('{"url": "http://h", "retry": "weekly"}', "field 'retry': unknown policy 'weekly'"),
        ('{"url": "http://h", "resign": "stripe"}', "field 'secret_env': re-signing needs"),
        (
            '{"url": "http://h", "resign": "stripe", "secret_env": "NOT_SET_ANYWHERE"}',
            "field 'secret_env': the environment variable NOT_SET_ANYWHERE is not set",
        ),
        (
            '{"url": "http://h", "resign": "nope", "secret_env": "S"}',
            "field 'resign': unknown signing scheme 'nope'",
        ),
        ('{"url": "http://h"}, {"url": "http://h"}', "target 2 ('http://h'): field 'name'"),
    ],
)
def test_bad_targets_are_one_line_errors(tmp_path: Path, forward: str, message: str) -> None:
    path = tmp_path / "rules.json"
    path.write_text(f'{{"version": 1, "forward": [{forward}]}}')
    with pytest.raises(RulesError) as caught:
        load_targets(path, environ={"S": "x"})
    text = str(caught.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


def test_saving_the_rules_keeps_the_files_forward_targets(tmp_path: Path) -> None:
    from hookscope.core.rules import Rule, save_rules

    path = tmp_path / "rules.json"
    path.write_text('{"version": 1, "rules": [], "forward": [{"url": "http://localhost:3000"}]}')
    save_rules(path, [Rule("flaky", status=503)])
    assert [r.name for r in load_rules(path)] == ["flaky"]
    assert [t.url for t in load_targets(path)] == ["http://localhost:3000"]
