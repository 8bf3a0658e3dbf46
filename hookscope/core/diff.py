"""What differs between two captures: request line, headers, and the body, compared as JSON
(key order ignored, each difference named by its JSONPath) when both bodies are JSON, else as
text lines, else as bytes. For "why did this delivery fail when that one passed?" and for
payload drift between two events of one type."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from hookscope.core.bodyview import parse_json_document
from hookscope.core.model import Capture

__all__ = ["CaptureDiff", "Change", "diff_captures", "diff_json"]

_MAX_CHANGES = 2000
_MAX_TEXT_LINES = 5000


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. `kind`: added, removed, changed (same type), type (different types)."""

    where: str  # "request", "header", "body"
    path: str  # the header name, the JSONPath, or a line range
    kind: str
    before: str = ""
    after: str = ""


@dataclass
class CaptureDiff:
    changes: list[Change] = field(default_factory=list)
    body_mode: str = "same"  # same, json, text, bytes
    truncated: bool = False

    @property
    def identical(self) -> bool:
        return not self.changes


def diff_captures(first: Capture, second: Capture) -> CaptureDiff:
    result = CaptureDiff()
    for name, a, b in (
        ("method", first.method, second.method),
        ("path", first.path, second.path),
        ("query", first.query, second.query),
        ("status answered", str(first.response_status), str(second.response_status)),
    ):
        if a != b:
            result.changes.append(Change("request", name, "changed", a, b))
    result.changes.extend(_diff_headers(first.headers, second.headers))
    result.body_mode = _diff_body(first.body, second.body, result.changes)
    if len(result.changes) > _MAX_CHANGES:
        del result.changes[_MAX_CHANGES:]
        result.truncated = True
    return result


def _diff_headers(
    first: tuple[tuple[str, str], ...], second: tuple[tuple[str, str], ...]
) -> list[Change]:
    def grouped(headers: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, list[str]]]:
        out: dict[str, tuple[str, list[str]]] = {}
        for name, value in headers:
            out.setdefault(name.lower(), (name, []))[1].append(value)
        return out

    a, b = grouped(first), grouped(second)
    changes = []
    for key in sorted(a.keys() | b.keys()):
        if key not in b:
            changes.append(Change("header", a[key][0], "removed", "\n".join(a[key][1])))
        elif key not in a:
            changes.append(Change("header", b[key][0], "added", after="\n".join(b[key][1])))
        elif a[key][1] != b[key][1]:
            changes.append(
                Change("header", b[key][0], "changed", "\n".join(a[key][1]), "\n".join(b[key][1]))
            )
    return changes


def _diff_body(first: bytes, second: bytes, changes: list[Change]) -> str:
    if first == second:
        return "same"
    try:
        a, b = parse_json_document(first), parse_json_document(second)
    except ValueError:
        pass
    else:
        changes.extend(diff_json(a, b))
        return "json"
    try:
        a_text, b_text = first.decode("utf-8"), second.decode("utf-8")
    except UnicodeDecodeError:
        changes.append(
            Change("body", "bytes", "changed", f"{len(first):,} bytes", f"{len(second):,} bytes")
        )
        return "bytes"
    a_lines = a_text.splitlines()[:_MAX_TEXT_LINES]
    b_lines = b_text.splitlines()[:_MAX_TEXT_LINES]
    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        kind = {"replace": "changed", "delete": "removed", "insert": "added"}[tag]
        changes.append(
            Change(
                "body",
                f"lines {i1 + 1}-{i2}",
                kind,
                "\n".join(a_lines[i1:i2]),
                "\n".join(b_lines[j1:j2]),
            )
        )
    return "text"


def diff_json(first: Any, second: Any, path: str = "$") -> list[Change]:
    """Differences between two JSON documents: object keys compared regardless of order,
    arrays element by element."""
    changes: list[Change] = []
    _walk(first, second, path, changes)
    return changes


def _walk(first: Any, second: Any, root: str, out: list[Change]) -> None:
    # An explicit stack, not recursion: two documents may nest deeper than Python's
    # recursion limit. Children go on in reverse, so changes come out in document order.
    stack: list[tuple[Any, Any, str]] = [(first, second, root)]
    while stack and len(out) <= _MAX_CHANGES:
        a, b, path = stack.pop()
        if isinstance(a, dict) and isinstance(b, dict):
            below: list[tuple[Any, Any, str]] = []
            for key in sorted(a.keys() | b.keys()):
                where = _member(path, key)
                if key not in b:
                    below.append((a[key], _ABSENT, where))
                elif key not in a:
                    below.append((_ABSENT, b[key], where))
                else:
                    below.append((a[key], b[key], where))
            stack.extend(reversed(below))
        elif isinstance(a, list) and isinstance(b, list):
            stack.extend(
                (
                    a[index] if index < len(a) else _ABSENT,
                    b[index] if index < len(b) else _ABSENT,
                    f"{path}[{index}]",
                )
                for index in reversed(range(max(len(a), len(b))))
            )
        elif b is _ABSENT:
            out.append(Change("body", path, "removed", _show(a)))
        elif a is _ABSENT:
            out.append(Change("body", path, "added", after=_show(b)))
        elif type(a) is not type(b) and not (_is_number(a) and _is_number(b)):
            out.append(Change("body", path, "type", _show(a), _show(b)))
        elif a != b:
            out.append(Change("body", path, "changed", _show(a), _show(b)))


_ABSENT = object()  # a member or element only one side has


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _member(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key)}]"


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except RecursionError:  # a value nested deeper than the encoder goes
        return "(nested too deep to show)"
    return text if len(text) <= 300 else text[:300] + "…"
