"""The value after `field:` and the small matchers terms are built from: globs, numbers, sizes.

Every error names the part of the query at fault, so a term's parser works on a `Value` that
remembers where in the query it came from.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from hookscope.core.filters.errors import FilterError
from hookscope.core.filters.lexer import closing_quote
from hookscope.core.glob import compile_glob, escape

__all__ = [
    "NumberTest",
    "TextTest",
    "Value",
    "glob_test",
    "number_test",
    "parse_count",
    "parse_size",
    "regex_search",
]

TextTest = Callable[[str], bool]
NumberTest = Callable[[int], bool]

_UNESCAPE = re.compile(r"\\([\"\\])")


@dataclass(frozen=True, slots=True)
class Value:
    """`raw` as typed (quotes included), starting at `start` in the query."""

    field: str
    raw: str
    start: int

    def part(self, begin: int, end: int | None = None) -> Value:
        """A slice of this value that still knows its place in the query."""
        return Value(self.field, self.raw[begin:end], self.start + begin)

    def segments(self) -> list[tuple[str, bool]]:
        """The text in runs, each with whether it was quoted (quoting makes * and ? literal)."""
        runs: list[tuple[str, bool]] = []
        i = 0
        while i < len(self.raw):
            quote = self.raw.find('"', i)
            if quote < 0:
                runs.append((self.raw[i:], False))
                break
            if quote > i:
                runs.append((self.raw[i:quote], False))
            close = closing_quote(self.raw, quote)
            if close < 0:  # the lexer rejects these; a slice of a value cannot create one
                raise self.error("unclosed quote", quote, len(self.raw) - quote)
            runs.append((_UNESCAPE.sub(r"\1", self.raw[quote + 1 : close]), True))
            i = close + 1
        return runs

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.segments())

    @property
    def quoted(self) -> bool:
        return '"' in self.raw

    def error(self, message: str, offset: int = 0, length: int | None = None) -> FilterError:
        if length is None:
            length = len(self.raw) - offset
        return FilterError(message, self.start + offset, max(length, 1))


# -- globs ------------------------------------------------------------------------------------


def glob_test(value: Value, *, ignore_case: bool) -> TextTest:
    """Whole-string match by the shared glob dialect (core/glob.py), where the filter language
    has * and ? only: quoted parts, and any [, are literal."""
    pattern = "".join(
        escape(text) if quoted else text.replace("[", "[[]") for text, quoted in value.segments()
    )
    return compile_glob(pattern, ignore_case=ignore_case)


# -- numbers ----------------------------------------------------------------------------------

_COMPARATORS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
    "": operator.eq,
}
_COMPARISON = re.compile(r"(>=|<=|!=|>|<|=)?(.*)", re.DOTALL)
_RANGE = re.compile(r"(.+?)\.\.(.+)", re.DOTALL)


def number_test(
    value: Value,
    number: Callable[[str], int | None],
    hint: str,
    *,
    special: Callable[[str], NumberTest | None] | None = None,
) -> NumberTest:
    """A comma list of `N`, `>N`, `>=N`, `<N`, `<=N`, `!=N` or `A..B` (inclusive); any may match.
    `number` reads one number (None if it cannot); `special` may accept other forms (5xx)."""
    if value.quoted:
        raise value.error(hint)
    tests: list[NumberTest] = []
    offset = 0
    for item in value.raw.split(","):
        part = value.part(offset, offset + len(item))
        offset += len(item) + 1
        test = special(item) if special is not None else None
        if test is None:
            test = _one_number_test(part, number, hint)
        tests.append(test)
    if len(tests) == 1:
        return tests[0]
    return lambda n: any(test(n) for test in tests)


def _one_number_test(part: Value, number: Callable[[str], int | None], hint: str) -> NumberTest:
    text = part.raw
    if ranged := _RANGE.fullmatch(text):
        low, high = number(ranged[1]), number(ranged[2])
        if low is None or high is None:
            raise part.error(hint)
        if low > high:
            raise part.error(f"the range {text} is empty: its start is above its end")
        return lambda n: low <= n <= high
    compared = _COMPARISON.fullmatch(text)
    assert compared is not None  # the pattern accepts any text
    bound = number(compared[2])
    if bound is None:
        raise part.error(hint)
    compare = _COMPARATORS[compared[1] or ""]
    return lambda n: compare(n, bound)


_SIZE = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", re.IGNORECASE)
_MAX_DIGITS = 30  # far past any size or id, and short of int()'s 4300-digit limit
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_size(text: str) -> int | None:
    """`512`, `10k`, `1.5mb`, `2GiB`: bytes, with k = 1024 (as file managers and HTTP tools use)."""
    matched = _SIZE.fullmatch(text.strip())
    if matched is None or len(matched[1]) > _MAX_DIGITS:
        return None
    unit = (matched[2] or "").lower()[:1]
    return round(Decimal(matched[1]) * _UNITS[unit])  # Decimal: exact, and no float overflow


def parse_count(text: str) -> int | None:
    """A plain non-negative integer, digits only."""
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        return int(text)
    return None


# -- regular expressions ----------------------------------------------------------------------


def regex_search(value: Value) -> TextTest:
    """Python regular expression, searched anywhere in the text; (?i) for any case."""
    try:
        pattern = re.compile(value.text)
    except (re.error, OverflowError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, re.error) else "too large or too deeply nested"
        at = (
            exc.pos if isinstance(exc, re.error) and exc.pos is not None and not value.quoted else 0
        )
        raise value.error(f"invalid regular expression: {reason}", at, len(value.raw) - at) from exc
    return lambda text: pattern.search(text) is not None
