"""`json:PATH` and `json:PATH OP VALUE`: test values inside JSON bodies.

Paths are RFC 9535 JSONPath, compiled in the strict environment redaction shares
(core/jsonpath_env.py), so what the help promises is exactly the standard:
`$.data.object.id`, `$.items[0]`, `$.items[*].price`, `$..id`, `$['odd key']`,
`$.items[?@.price > 10]`. A path without `$` gets one (`amount` is `$.amount`). A path may
select many values (wildcards, `..`, filters) and an array at the path stands for its elements:
a test passes if any of them passes, except `!=`, which needs the path to exist and no value to
equal.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from jsonpath import CompoundJSONPath, JSONPath, JSONPathError
from jsonpath.selectors import IndexSelector, NameSelector

from hookscope.core.filters.field import Field
from hookscope.core.filters.lexer import closing_quote
from hookscope.core.filters.nodes import Body, BodyTerm, Node
from hookscope.core.filters.values import Value, regex_search
from hookscope.core.jsonpath_env import ENV, root_prefix

__all__ = ["WALK_LIMIT", "JsonField", "singular_steps", "walk_steps"]

# Paths that search (wildcards, `..`, filter selectors) visit every node below them, at a few
# microseconds each in the JSONPath library: 25 s for a 50 MB body. They search bodies up to
# this size; exact paths (`$.a.b[0]`) read bodies of any size (one parse, at C speed).
WALK_LIMIT = 2 * 1024 * 1024

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_OPERATORS = ("==", "!=", ">=", "<=", "=", ">", "<", "~")

Scalar = str | int | float | bool | None


class JsonField(Field):
    name = "json"
    usage = (
        ("json:$.data.object.id", "the body is JSON and has this path (JSONPath, RFC 9535)"),
        ("json:$.amount>1000", "a value there compares: = != > >= < <="),
        ("json:$.event=order_created", "numbers compare as numbers, text as text"),
        ('json:$.id="1000"', "quoted: the text 1000 only, not the number"),
        ("json:$.email~@example\\.com$", "a string there matches a regular expression"),
    )
    hint = "json needs a path, like json:$.amount>1000 or json:$.data.object.id"
    _ORDER: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {
        ">": operator.gt,
        ">=": operator.ge,
        "<": operator.lt,
        "<=": operator.le,
    }

    @classmethod
    def parse(cls, value: Value) -> Node:
        split, op = _find_operator(value.raw)
        select = _compile_path(value.part(0, split), cls.hint)
        if not op:
            return BodyTerm(lambda body: _any(select(body)))
        operand = value.part(split + len(op))
        if op == "~":
            search = regex_search(operand)
            return BodyTerm(
                lambda body: any(isinstance(v, str) and search(v) for v in _spread(select(body)))
            )
        if not operand.raw:
            raise value.error(f"json needs a value after '{op}'", split, len(op))
        text = operand.text
        literal: Scalar = text if operand.quoted else _scalar(text)
        equals = _equality(literal, None if operand.quoted else text)
        if op in ("=", "=="):
            return BodyTerm(lambda body: any(equals(v) for v in _spread(select(body))))
        if op == "!=":

            def differs(body: Body) -> bool:
                found = list(select(body))
                return bool(found) and not any(equals(v) for v in _spread(found))

            return BodyTerm(differs)
        if literal is None or isinstance(literal, bool):
            raise operand.error(f"'{op}' compares numbers or text, not {text}")
        order = cls._ORDER[op]
        kind: tuple[type, ...] = (str,) if isinstance(literal, str) else (int, float)

        def compares(candidate: object) -> bool:
            return (
                isinstance(candidate, kind)
                and not isinstance(candidate, bool)
                and order(candidate, literal)
            )

        return BodyTerm(lambda body: any(compares(v) for v in _spread(select(body))))


def _find_operator(raw: str) -> tuple[int, str]:
    """Where the comparison starts, outside [brackets] and quotes; (len(raw), "") if none."""
    depth = 0
    i = 0
    while i < len(raw):
        char = raw[i]
        if char == '"' or (char == "'" and depth > 0):
            close = closing_quote(raw, i)
            i = len(raw) if close < 0 else close + 1
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth > 0:
            depth -= 1
        elif depth == 0:
            for op in _OPERATORS:
                if raw.startswith(op, i):
                    return i, op
        i += 1
    return len(raw), ""


def _compile_path(part: Value, hint: str) -> Callable[[Body], Iterable[object]]:
    """The path as a function from a body to the values it selects (none if not JSON), as
    they are found: a test that passes on the first stops the search there."""
    if not part.raw:
        raise part.error(hint, 0, 1)
    prefix = root_prefix(part.raw)
    try:
        query = ENV.compile(prefix + part.raw)
    except JSONPathError as exc:
        index = exc.token.index if exc.token is not None and exc.token.index >= 0 else None
        at = len(part.raw) - 1 if index is None else index - len(prefix)
        at = min(max(at, 0), max(len(part.raw) - 1, 0))
        raise part.error(f"invalid JSON path: {exc.message}", at) from exc
    steps = singular_steps(query)
    if steps is not None:

        def walk(body: Body) -> list[object]:
            document = body.document()
            return [] if document is Body.NOT_JSON else walk_steps(document, steps)

        return walk

    def select(body: Body) -> Iterable[object]:
        if len(body.raw) > WALK_LIMIT:
            return ()
        document = body.document()
        if not isinstance(document, dict | list):  # not JSON, or a scalar: nothing below root
            return ()
        return _find(query, document)

    return select


def singular_steps(query: JSONPath | CompoundJSONPath) -> tuple[str | int, ...] | None:
    """The names and indexes of a singular query (RFC 9535 2.3.5.1: `$.a.b[0]`, the usual
    case), or None. Walking them directly is ~30x faster than the general evaluator."""
    if not isinstance(query, JSONPath) or not query.singular_query():
        return None
    steps: list[str | int] = []
    for segment in query.segments:
        selector = segment.selectors[0]
        if isinstance(selector, NameSelector):
            steps.append(selector.name)
        elif isinstance(selector, IndexSelector):
            steps.append(selector.index)
        else:  # singular_query() allows nothing else; be safe if that ever changes
            return None
    return tuple(steps)


def walk_steps(document: object, steps: tuple[str | int, ...]) -> list[object]:
    node = document
    for step in steps:
        if isinstance(step, str):
            if not isinstance(node, dict) or step not in node:
                return []
            node = node[step]
        else:
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return []
            node = node[step]
    return [node]


def _find(query: JSONPath | CompoundJSONPath, document: object) -> Iterator[object]:
    try:
        for match in query.finditer(document):  # type: ignore[arg-type]
            yield match.obj
    except (JSONPathError, RecursionError):  # e.g. `$..x` through deep nesting: no more
        return


def _any(values: Iterable[object]) -> bool:
    return next(iter(values), _NOTHING) is not _NOTHING


_NOTHING = object()


def _spread(values: Iterable[object]) -> Iterator[object]:
    """Each value, and the elements of each array, so `json:$.tags=urgent` finds a tag."""
    for value in values:
        yield value
        if isinstance(value, list):
            yield from value


def _scalar(text: str) -> Scalar:
    """An unquoted operand: a JSON number, true, false or null, else text."""
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    number = _NUMBER.fullmatch(text)
    if number is None:
        return text
    if number[1] or number[2] or len(text) > 4000:  # int() refuses more than 4300 digits
        return float(text)
    return int(text)


def _equality(literal: Scalar, as_typed: str | None) -> Callable[[object], bool]:
    """`literal` equals a JSON value of its own kind; an unquoted operand (`as_typed`) also
    equals a JSON string with exactly its text (`json:$.id=123` finds "123")."""
    if isinstance(literal, bool) or literal is None:
        wanted: object = literal

        def same(value: object) -> bool:
            return value is wanted
    elif isinstance(literal, int | float):
        number = literal

        def same(value: object) -> bool:
            return (
                isinstance(value, int | float) and not isinstance(value, bool) and value == number
            )
    else:
        text = literal

        def same(value: object) -> bool:
            return isinstance(value, str) and value == text

    if as_typed is None or isinstance(literal, str):
        return same
    return lambda value: same(value) or (isinstance(value, str) and value == as_typed)
