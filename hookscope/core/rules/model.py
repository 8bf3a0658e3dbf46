"""A fault rule: which requests it catches, when it applies, and what the receiver does instead
of its default answer. Plain, immutable data; a `Rule` that exists is a valid rule.

A rule applies to a request when the path glob and the methods match and, if set, the request
falls in the rule's time window and among the first N requests the rule has matched. A rule that
does not apply lets the request fall through to the next rule, and in the end to the default
answer: that is how "fail the first N, then succeed" and "fail during a window" read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from hookscope.core.model import Header

__all__ = [
    "HANGUP_CLOSE",
    "HANGUP_RESET",
    "MAX_SECONDS",
    "Action",
    "Answer",
    "Rule",
    "RuleError",
    "Window",
]

MAX_SECONDS = 3600.0  # the longest delay or hold, as for `listen --delay`

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token: header names, methods
_BAD_VALUE = re.compile(r"[\x00\r\n]")
# Framing is aiohttp's job: a rule that set these would corrupt the answer on the wire.
_FRAMING = frozenset({"content-length", "transfer-encoding"})
_NO_BODY = frozenset({204, 304})


# Ways to end a request without an HTTP answer; each is also what the capture's `rejected` says.
HANGUP_CLOSE = "held-then-closed"  # the connection is closed (FIN) after the delay
HANGUP_RESET = "connection-reset"  # the connection is aborted (TCP RST) after the delay


@dataclass(frozen=True, slots=True)
class Answer:
    """What the receiver sends back for one request (a rule's, or the default).

    `hangup` set: no HTTP answer at all; after `delay_s` the connection is dropped that way
    (and `status` is 0, as HAR records a request that got no response)."""

    status: int = 200
    headers: tuple[Header, ...] = ()
    body: bytes = b""
    delay_s: float = 0.0
    rule: str | None = None
    hangup: str | None = None


class RuleError(ValueError):
    """An invalid rule; `field` names the rule field at fault (as in the rules file)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Action(StrEnum):
    RESPOND = "respond"  # answer `status`, `headers`, `body` after `delay_s`
    HOLD = "hold"  # keep the connection open `hold_s` without answering, then close it
    RESET = "reset"  # after `delay_s`, abort the connection (TCP RST) without an answer


@dataclass(frozen=True, slots=True)
class Window:
    """Seconds since the rules were loaded (or reset): the rule applies in [from_s, until_s);
    `until_s` None means from `from_s` on."""

    from_s: float = 0.0
    until_s: float | None = None

    def __post_init__(self) -> None:
        _check_seconds("window", self.from_s, limit=math.inf)
        if self.until_s is not None:
            _check_seconds("window", self.until_s, limit=math.inf)
            if self.until_s <= self.from_s:
                raise RuleError("window", "'until_s' must be later than 'from_s'")

    def contains(self, seconds: float) -> bool:
        return self.from_s <= seconds and (self.until_s is None or seconds < self.until_s)


@dataclass(frozen=True, slots=True)
class Rule:
    """`path` is a glob on the percent-decoded path (`*` any characters, `/` included; `?` one;
    `[abc]` a set), matched case-sensitively; `methods` empty means any method. `status`,
    `headers`, `body` and `delay_s` answer for `respond`; `reset` uses `delay_s`; `hold` `hold_s`.
    Fields an action does not use are ignored (and not saved)."""

    name: str
    path: str = "*"
    methods: tuple[str, ...] = ()
    action: Action = Action.RESPOND
    status: int = 200
    headers: tuple[Header, ...] = ()
    body: bytes = b""
    delay_s: float = 0.0
    hold_s: float = 0.0
    first: int | None = None
    window: Window | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 100 or not self.name.isprintable():
            raise RuleError("name", "a rule's name is 1 to 100 printable characters")
        if not self.path.startswith(("/", "*")):
            raise RuleError("path", f"a path pattern starts with '/' or '*', got {self.path!r}")
        for method in self.methods:
            if not _TOKEN.fullmatch(method):
                raise RuleError("methods", f"{method!r} is not an HTTP method")
        if self.first is not None and self.first < 1:
            raise RuleError("first", f"'first' counts requests: 1 or more, got {self.first}")
        if self.action is Action.HOLD:
            if self.hold_s <= 0:
                raise RuleError("hold_s", "a hold rule needs 'hold_s', seconds > 0")
            _check_seconds("hold_s", self.hold_s)
        if self.action is Action.RESPOND:
            _check_answer(self.status, self.headers, self.body)
        _check_seconds("delay_s", self.delay_s)

    @property
    def method_set(self) -> frozenset[str] | None:
        """The methods matched, upper-cased; None for any."""
        return frozenset(m.upper() for m in self.methods) if self.methods else None


def _check_answer(status: int, headers: tuple[Header, ...], body: bytes) -> None:
    if not 200 <= status <= 599:
        raise RuleError("status", f"an answer's status is 200 to 599, got {status}")
    if body and status in _NO_BODY:
        raise RuleError("body", f"a {status} answer has no body")
    for name, value in headers:
        if not _TOKEN.fullmatch(name):
            raise RuleError("headers", f"{name!r} is not a valid header name")
        if name.lower() in _FRAMING:
            raise RuleError("headers", f"{name} is set by the receiver from the body")
        if _BAD_VALUE.search(value):
            raise RuleError("headers", f"the value of {name} contains a line break or NUL")


def _check_seconds(field: str, value: float, *, limit: float = MAX_SECONDS) -> None:
    if not math.isfinite(value) or not 0 <= value <= limit:
        bound = "" if math.isinf(limit) else f" up to {limit:g}"
        raise RuleError(field, f"expected seconds >= 0{bound}, got {value:g}")
