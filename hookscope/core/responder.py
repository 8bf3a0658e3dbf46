"""What the receiver answers: by default 200 with an empty body. Fault rules (`rules`) come
first; then `listen`'s response options (`--status`, `--delay`, `--fail-first`) change the
default answer, for testing how a sender copes."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from hookscope.core.rules import Answer, RuleSet

__all__ = ["Responder"]

_DEFAULT = Answer()


@dataclass
class Responder:
    """Answers by the first fault rule that applies (`rules`, see `hookscope.core.rules`), else
    every request alike, except that `fail_first` answers 503 to the first N requests of each
    path (as a flaky endpoint would), and then the normal answer."""

    status: int = 200
    delay_s: float = 0.0
    fail_first: int = 0
    rules: RuleSet | None = None
    _seen: Counter[str] = field(default_factory=Counter, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reset(self) -> None:
        """Start every count over: `fail_first`'s per path, and the rules' (with their clock)."""
        with self._lock:
            self._seen.clear()
        if self.rules is not None:
            self.rules.reset()

    def answer(self, method: str, target: str) -> Answer:
        """The answer to a request; `target` is the raw request target (paths are counted
        by their raw form, query excluded)."""
        rules = self.rules
        if rules is not None and (ruled := rules.answer(method, target)) is not None:
            return ruled
        if not self.fail_first and self.status == 200 and not self.delay_s:
            return _DEFAULT
        if self.fail_first:
            path = target.split("?", 1)[0]
            with self._lock:
                self._seen[path] += 1
                count = self._seen[path]
            if count <= self.fail_first:
                return Answer(
                    status=503,
                    headers=(("Content-Type", "text/plain; charset=utf-8"),),
                    body=f"failing on purpose ({count} of {self.fail_first})\n".encode(),
                    delay_s=self.delay_s,
                    rule=f"fail-first {self.fail_first}",
                )
        rule = None
        if self.status != 200 or self.delay_s:
            rule = "listen options"
        return Answer(status=self.status, delay_s=self.delay_s, rule=rule)
