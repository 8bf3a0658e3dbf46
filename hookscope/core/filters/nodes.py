"""The compiled form of a query: a tree of terms joined by AND, OR and NOT.

Each node decides for one capture from what is at hand: its summary row always, its headers and
body when loaded. Without them a node may answer None ("cannot tell yet"), so that a list of
summaries is first sorted into matches, misses and the few that need more data (bulk.py).
Children of AND and OR are ordered cheapest first, so body terms run only where summary and
header terms left the answer open.
"""

from __future__ import annotations

import gc
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from enum import IntEnum

import orjson

from hookscope.core.jsondepth import nests_deeper_than
from hookscope.core.model import CaptureSummary, Header

__all__ = [
    "And",
    "Body",
    "BodyTerm",
    "Cost",
    "HeaderTerm",
    "Headers",
    "MetaTerm",
    "Node",
    "Not",
    "Or",
    "RowTest",
]

Headers = Sequence[Header]
RowTest = Callable[[CaptureSummary], bool]


class Cost(IntEnum):
    """What a node must read, cheapest first."""

    SUMMARY = 0
    HEADERS = 1
    BODY = 2


class Body:
    """A capture's body, read on first use, with the derived forms that terms share."""

    __slots__ = ("_doc", "_load", "_lower", "_raw", "_text")

    _UNPARSED = object()
    NOT_JSON = object()

    def __init__(self, raw: bytes | None = None, load: Callable[[], bytes] | None = None) -> None:
        self._raw = raw
        self._load = load
        self._lower: bytes | None = None
        self._text: str | None = None
        self._doc: object = Body._UNPARSED

    @property
    def raw(self) -> bytes:
        if self._raw is None:
            self._raw = self._load() if self._load is not None else b""
        return self._raw

    def lower(self) -> bytes:
        """ASCII letters lowered: enough for ASCII needles, and no decoding."""
        if self._lower is None:
            self._lower = self.raw.lower()
        return self._lower

    def text_lower(self) -> str:
        if self._text is None:
            self._text = self.raw.decode("utf-8", "replace").lower()
        return self._text

    def document(self) -> object:
        """The body parsed as JSON, or `Body.NOT_JSON`. Parsed at most once per capture."""
        if self._doc is Body._UNPARSED:
            self._doc = _parse_json(self.raw)
        return self._doc


# orjson reads integers from -2**63 to 2**64-1 exactly; outside that it gives floats. That
# takes 20 digits, or 19 after a minus. Digits become "0", "-" stays, all else becomes " ", so
# that plain substring searches find such runs (a regex takes ~15x longer on a typical body).
_DIGITS_ONLY = bytes(
    0x30 if 0x30 <= byte <= 0x39 else byte if byte == 0x2D else 0x20 for byte in range(256)
)
_LONG_RUNS = (b"0" * 20, b"-" + b"0" * 19)


def _may_hold_a_huge_integer(raw: bytes) -> bool:
    digits = raw.translate(_DIGITS_ONLY)
    return any(run in digits for run in _LONG_RUNS)


def _parse_json(raw: bytes) -> object:
    if not raw.strip() or nests_deeper_than(raw):  # too deep to walk: no path matches
        return Body.NOT_JSON
    # Paused collector: a large document allocates millions of containers, and the collections
    # they trigger cost more than the parse (JSON values cannot form cycles).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(raw)
    finally:
        if enabled:
            gc.enable()


def _parse(raw: bytes) -> object:
    # orjson is fast but turns integers past 64 bits into floats (and takes only UTF-8); the
    # standard parser keeps them exact, so it reads bodies that may hold one (or that orjson
    # refused: it also rejects quickly what is not JSON at all).
    if not _may_hold_a_huge_integer(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return Body.NOT_JSON


class Node(ABC):
    cost: Cost

    @abstractmethod
    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        """True or False, or None when `headers`/`body` are None and the answer needs them."""

    def row_test(self) -> RowTest:
        """A plain predicate over summaries, for trees that need nothing else (the fast path)."""
        raise TypeError(f"{type(self).__name__} needs more than a summary")

    def terms(self) -> list[Node]:
        return [self]


class MetaTerm(Node):
    """A term decided by the summary row alone."""

    cost = Cost.SUMMARY

    def __init__(self, test: RowTest) -> None:
        self.test = test

    def decide(self, row: CaptureSummary, headers: Headers | None, body: Body | None) -> bool:
        return self.test(row)

    def row_test(self) -> RowTest:
        return self.test


class HeaderTerm(Node):
    cost = Cost.HEADERS

    def __init__(self, test: Callable[[Headers], bool]) -> None:
        self.test = test

    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        return None if headers is None else self.test(headers)


class BodyTerm(Node):
    cost = Cost.BODY

    def __init__(self, test: Callable[[Body], bool]) -> None:
        self.test = test

    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        return None if body is None else self.test(body)


class Not(Node):
    def __init__(self, child: Node) -> None:
        self.child = child
        self.cost = child.cost

    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        answer = self.child.decide(row, headers, body)
        return None if answer is None else not answer

    def row_test(self) -> RowTest:
        test = self.child.row_test()
        return lambda row: not test(row)

    def terms(self) -> list[Node]:
        return self.child.terms()


class _Group(Node):
    """AND and OR alike: children run cheapest first, and the first child whose answer is
    `decisive` decides the group (False for AND, True for OR); an unknown child (None)
    leaves the group unknown unless another decides."""

    decisive: bool

    def __init__(self, children: Sequence[Node]) -> None:
        self.children = sorted(children, key=lambda child: child.cost)  # stable: cheap first
        self.cost = self.children[-1].cost

    def terms(self) -> list[Node]:
        return [term for child in self.children for term in child.terms()]

    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        answer: bool | None = not self.decisive
        for child in self.children:
            result = child.decide(row, headers, body)
            if result is self.decisive:
                return result
            if result is None:
                answer = None
        return answer

    def row_test(self) -> RowTest:
        join = _either if self.decisive else _both
        tests = [child.row_test() for child in self.children]
        combined = tests[0]
        for test in tests[1:]:
            combined = join(combined, test)
        return combined


class And(_Group):
    decisive = False


class Or(_Group):
    decisive = True


def _both(first: RowTest, second: RowTest) -> RowTest:
    return lambda row: first(row) and second(row)


def _either(first: RowTest, second: RowTest) -> RowTest:
    return lambda row: first(row) or second(row)
