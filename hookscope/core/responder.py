"""What the receiver answers: by default 200 with an empty body; `listen`'s response options
(`--status`, `--delay`, `--fail-first`) change that for testing how a sender copes."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from hookscope.core.model import Header

__all__ = ["Answer", "Responder"]


@dataclass(frozen=True, slots=True)
class Answer:
    status: int = 200
    headers: tuple[Header, ...] = ()
    body: bytes = b""
    delay_s: float = 0.0
    rule: str | None = None


_DEFAULT = Answer()


@dataclass
class Responder:
    """Answers every request alike, except that `fail_first` answers 503 to the first N requests
    of each path (as a flaky endpoint would), and then the normal answer."""

    status: int = 200
    delay_s: float = 0.0
    fail_first: int = 0
    _seen: Counter[str] = field(default_factory=Counter, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def answer(self, method: str, target: str) -> Answer:
        """The answer to a request; `target` is the raw request target (paths are counted
        by their raw form, query excluded)."""
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
