"""The rules a receiver answers by, and their state (counts, the window clock).

The receiver's loop thread calls `answer` for every request while the app's GUI thread may
`replace` or `reset` the rules. All state lives in one immutable snapshot (compiled rules, the
time they were loaded, their counters) that a swap replaces whole: a request sees either the old
rules with their counts or the new ones, never a mix. Counters change under a lock, so "the first
N" stays exact even if two receivers share a rule set.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from hookscope.core.glob import Matcher, compile_glob
from hookscope.core.model import path_of
from hookscope.core.rules.model import (
    HANGUP_CLOSE,
    HANGUP_RESET,
    Action,
    Answer,
    Rule,
    RuleError,
    Window,
)

__all__ = ["RuleSet"]

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A rule made ready for matching: its answer is built once, not per request."""

    rule: Rule
    match_path: Matcher | None  # None: every path
    methods: frozenset[str] | None
    window: Window | None
    first: int
    answer: Answer


@dataclass(frozen=True, slots=True)
class _Snapshot:
    source: tuple[Rule, ...]  # every rule, disabled ones included, as given
    rules: tuple[_Compiled, ...]  # the enabled ones, ready to match
    loaded_at: float
    matched: list[int]  # per rule: requests that matched it (for `first`), under the lock
    answered: list[int]  # per rule: requests it answered


class RuleSet:
    """An ordered list of rules: the first that applies answers; None when none does."""

    def __init__(self, rules: Iterable[Rule] = (), *, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot = self._compile(tuple(rules))

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._snapshot.source

    def __len__(self) -> int:
        return len(self._snapshot.rules)

    def replace(self, rules: Iterable[Rule]) -> None:
        """Answer by `rules` from now on; counts and the window clock start over."""
        self._snapshot = self._compile(tuple(rules))

    def reset(self) -> None:
        """Start the counts and the window clock over, keeping the rules."""
        self.replace(self.rules)

    def resume(
        self, rules: Iterable[Rule], *, since_loaded: float, answered: Mapping[str, int]
    ) -> None:
        """Answer by `rules` as if loaded `since_loaded` seconds ago, each rule having answered
        `answered[name]` requests: a restarted receiver process carries on where the last one
        stopped (a `first` rule that is used up stays used up, a window that ended stays ended)."""
        snapshot = self._compile(tuple(rules))
        counts = [answered.get(c.rule.name, 0) for c in snapshot.rules]
        self._snapshot = dataclasses.replace(
            snapshot,
            loaded_at=snapshot.loaded_at - max(0.0, since_loaded),
            matched=list(counts),  # within `first`, every match was answered
            answered=counts,
        )

    def answered(self) -> dict[str, int]:
        """How many requests each enabled rule has answered since it was loaded or reset."""
        snapshot = self._snapshot
        with self._lock:
            return {c.rule.name: n for c, n in zip(snapshot.rules, snapshot.answered, strict=True)}

    def seconds_since_loaded(self) -> float:
        """The time the windows are measured on."""
        return self._clock() - self._snapshot.loaded_at

    def answer(self, method: str, target: str) -> Answer | None:
        """The answer of the first rule that applies to this request, or None."""
        snapshot = self._snapshot  # one read: the whole evaluation uses one rule set
        if not snapshot.rules:
            return None
        path: str | None = None
        since: float | None = None
        for i, compiled in enumerate(snapshot.rules):
            methods = compiled.methods
            if methods is not None and method.upper() not in methods:
                continue
            match_path = compiled.match_path
            if match_path is not None:
                if path is None:
                    path = path_of(target)
                if not match_path(path):
                    continue
            window = compiled.window
            if window is not None:
                if since is None:
                    since = self._clock() - snapshot.loaded_at
                if not window.contains(since):
                    continue
            with self._lock:
                count = snapshot.matched[i] = snapshot.matched[i] + 1
                if compiled.first and count > compiled.first:
                    continue
                snapshot.answered[i] += 1
            return compiled.answer
        return None

    def _compile(self, rules: tuple[Rule, ...]) -> _Snapshot:
        seen: dict[str, int] = {}
        for index, rule in enumerate(rules, 1):
            if rule.name in seen:
                first = seen[rule.name]
                raise RuleError(
                    "name",
                    f"rules {first} and {index} are both named {rule.name!r}: names "
                    "must be unique, since captures record the name of the rule that answered",
                )
            seen[rule.name] = index
        compiled = tuple(_compile_rule(rule) for rule in rules if rule.enabled)
        count = len(compiled)
        return _Snapshot(rules, compiled, self._clock(), [0] * count, [0] * count)


def _compile_rule(rule: Rule) -> _Compiled:
    path = None if rule.path == "*" else compile_glob(rule.path)
    return _Compiled(rule, path, rule.method_set, rule.window, rule.first or 0, _answer_of(rule))


def _answer_of(rule: Rule) -> Answer:
    if rule.action is Action.HOLD:
        return Answer(status=0, delay_s=rule.hold_s, rule=rule.name, hangup=HANGUP_CLOSE)
    if rule.action is Action.RESET:
        return Answer(status=0, delay_s=rule.delay_s, rule=rule.name, hangup=HANGUP_RESET)
    return Answer(rule.status, rule.headers, rule.body, rule.delay_s, rule.name)
