"""Arrivals per second over a sliding window, for the app's header."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateMeter"]


class RateMeter:
    def __init__(self, window_s: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._marks: deque[tuple[float, int]] = deque()
        self._count = 0

    def add(self, count: int = 1) -> None:
        self._marks.append((self._clock(), count))
        self._count += count
        self._trim()

    def per_second(self) -> float:
        self._trim()
        return self._count / self.window_s

    def _trim(self) -> None:
        horizon = self._clock() - self.window_s
        while self._marks and self._marks[0][0] < horizon:
            self._count -= self._marks.popleft()[1]
