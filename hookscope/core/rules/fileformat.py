"""The rules file: JSON that the app saves and `hookscope listen --rules FILE` loads.

    {"version": 1, "rules": [
      {"name": "flaky", "path": "/hooks/*", "methods": ["POST"], "first": 2, "status": 503,
       "headers": [["Retry-After", "5"]], "body": "try again\\n"},
      {"name": "outage", "path": "*", "window": {"from_s": 30, "until_s": 90}, "action": "reset"},
      {"name": "slow", "path": "/slow", "action": "hold", "hold_s": 20}]}

A body is `body` (text, sent as UTF-8) or `body_b64` (any bytes). Unknown fields, and fields the
rule's action does not use, are errors: a typo must not silently change what the receiver does.
Every problem is reported in one line naming the file, the rule (1-based, and its name) and field.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hookscope.core.errors import HookscopeError
from hookscope.core.model import Header
from hookscope.core.rules.fields import as_choice, as_flag, as_text, as_whole, shown
from hookscope.core.rules.model import Action, Rule, RuleError, Window

__all__ = [
    "FORMAT_VERSION",
    "RulesError",
    "dump_rules",
    "load_rules",
    "parse_rules",
    "rule_to_data",
    "save_rules",
]

FORMAT_VERSION = 1

_COMMON = {"name", "enabled", "path", "methods", "action", "first", "window"}
_FIELDS = {
    Action.RESPOND: _COMMON | {"status", "headers", "body", "body_b64", "delay_s"},
    Action.HOLD: _COMMON | {"hold_s"},
    Action.RESET: _COMMON | {"delay_s"},
}
_ALL_FIELDS = set().union(*_FIELDS.values())


class RulesError(HookscopeError):
    """A rules file that cannot be used; the message names the file, rule and field."""


def load_rules(path: str | os.PathLike[str]) -> tuple[Rule, ...]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RulesError(f"cannot read rules file {path}: {exc.strerror or exc}") from None
    return parse_rules(data, source=str(path))


def parse_rules(text: str | bytes, *, source: str = "rules") -> tuple[Rule, ...]:
    try:
        document = json.loads(text)
    except UnicodeDecodeError:
        raise RulesError(f"{source}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise RulesError(f"{source}: not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise RulesError(f'{source}: expected an object {{"version": 1, "rules": [...]}}')
    # "forward": the forward targets (hookscope.core.forward.fileformat reads them).
    unknown = sorted(set(document) - {"version", "rules", "forward"})
    if unknown:
        raise RulesError(
            f"{source}: unknown field {unknown[0]!r} (expected version, rules, forward)"
        )
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise RulesError(f"{source}: unsupported version {version!r} (this reads version 1)")
    items = document.get("rules", [] if "forward" in document else None)
    if not isinstance(items, list):
        raise RulesError(f'{source}: "rules" must be a list of rules')
    rules: list[Rule] = []
    names: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        rule = _parse_rule(item, index, source)
        if rule.name in names:
            raise RulesError(
                f"{source}: rule {index} ({rule.name!r}): field 'name': rule "
                f"{names[rule.name]} has the same name; names must be unique"
            )
        names[rule.name] = index
        rules.append(rule)
    return tuple(rules)


def _parse_rule(item: object, index: int, source: str) -> Rule:
    name = item.get("name") if isinstance(item, dict) else None
    where = f"{source}: rule {index}" + (f" ({name!r})" if isinstance(name, str) else "")
    if not isinstance(item, dict):
        raise RulesError(f"{where}: expected an object")
    field = "rule"
    try:
        for field in item:
            if field not in _ALL_FIELDS:
                raise RuleError(field, f"unknown field (fields: {', '.join(sorted(_ALL_FIELDS))})")
        field = "action"
        action = as_choice(Action, item.get("action", "respond"))
        for field in item:
            if field not in _FIELDS[action]:
                raise RuleError(field, f"a {action} rule does not use this field")
        field = "name"
        kwargs: dict[str, Any] = {
            "name": as_text(item.get("name", f"rule {index}")),
            "action": action,
        }
        for field, convert in _CONVERTERS.items():
            if field in item:
                kwargs[field] = convert(item[field])
        field = "body"
        if "body" in item and "body_b64" in item:
            raise RuleError("body", "give 'body' or 'body_b64', not both")
        if "body" in item:
            kwargs["body"] = as_text(item["body"]).encode("utf-8")
        if "body_b64" in item:
            field = "body_b64"
            kwargs["body"] = _base64(item["body_b64"])
        field = "rule"
        return Rule(**kwargs)
    except RuleError as exc:
        raise RulesError(f"{where}: field {exc.field!r}: {exc.message}") from None
    except (TypeError, ValueError) as exc:
        raise RulesError(f"{where}: field {field!r}: {exc}") from None


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"expected a number of seconds, got {shown(value)}")
    return float(value)


def _methods(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
        raise TypeError(f'expected a list of methods such as ["POST"], got {shown(value)}')
    return tuple(m.upper() for m in value)


def _headers(value: object) -> tuple[Header, ...]:
    if isinstance(value, dict):
        value = [[k, v] for k, v in value.items()]
    if not isinstance(value, list):
        raise TypeError(f"expected a list of [name, value] pairs, got {shown(value)}")
    pairs: list[Header] = []
    for pair in value:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise TypeError(f"expected [name, value] pairs of strings, got {shown(pair)}")
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _window(value: object) -> Window:
    if not isinstance(value, dict) or not set(value) <= {"from_s", "until_s"}:
        raise TypeError(f'expected {{"from_s": seconds, "until_s": seconds}}, got {shown(value)}')
    until = value.get("until_s")
    return Window(_seconds(value.get("from_s", 0)), None if until is None else _seconds(until))


def _base64(value: object) -> bytes:
    try:
        return base64.b64decode(as_text(value), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not valid base64") from None


_CONVERTERS = {
    "enabled": as_flag,
    "path": as_text,
    "methods": _methods,
    "status": as_whole,
    "headers": _headers,
    "delay_s": _seconds,
    "hold_s": _seconds,
    "first": as_whole,
    "window": _window,
}


def rule_to_data(rule: Rule) -> dict[str, Any]:
    """A rule as the file holds it: only the fields its action uses, defaults left out."""
    data: dict[str, Any] = {"name": rule.name, "path": rule.path}
    if not rule.enabled:
        data["enabled"] = False
    if rule.methods:
        data["methods"] = list(rule.methods)
    if rule.action is not Action.RESPOND:
        data["action"] = rule.action.value
    if rule.first is not None:
        data["first"] = rule.first
    if rule.window is not None:
        data["window"] = {"from_s": rule.window.from_s, "until_s": rule.window.until_s}
    if rule.action is Action.RESPOND:
        data["status"] = rule.status
        if rule.headers:
            data["headers"] = [[name, value] for name, value in rule.headers]
        if rule.body:
            try:
                data["body"] = rule.body.decode("utf-8")
            except UnicodeDecodeError:
                data["body_b64"] = base64.b64encode(rule.body).decode("ascii")
    if rule.action is Action.HOLD:
        data["hold_s"] = rule.hold_s
    elif rule.delay_s:
        data["delay_s"] = rule.delay_s
    return data


def dump_rules(rules: Iterable[Rule], forward: list[Any] | None = None) -> str:
    """The file's text; `forward`, when given, is kept as the file's forward targets."""
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "rules": [rule_to_data(rule) for rule in rules],
    }
    if forward is not None:
        document["forward"] = forward
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _forward_section(path: Path) -> list[Any] | None:
    """The forward targets a rules file holds (kept as they are when its rules are saved)."""
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    forward = document.get("forward") if isinstance(document, dict) else None
    return forward if isinstance(forward, list) else None


def save_rules(path: str | os.PathLike[str], rules: Iterable[Rule]) -> None:
    """Write the rules file atomically: a crash leaves the old file or the new, never half."""
    target = Path(path)
    text = dump_rules(rules, _forward_section(target))
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
