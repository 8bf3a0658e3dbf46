"""A token bucket per client: `rate` requests a second on average, bursts up to `burst`."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["RateLimiter"]

_MAX_CLIENTS = 10_000  # past this, full (idle) buckets are forgotten: memory stays bounded


class RateLimiter:
    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a rate limit needs rate > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, at)

    def allow(self, client: str) -> bool:
        now = self._clock()
        tokens, at = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > _MAX_CLIENTS:
            self._forget_idle(now)
        return allowed

    def retry_after(self, client: str) -> int:
        """Whole seconds until `client` has a token again (at least 1)."""
        tokens, _ = self._buckets.get(client, (0.0, 0.0))
        return max(1, int((1.0 - tokens) / self.rate + 0.999))

    def _forget_idle(self, now: float) -> None:
        rate, burst = self.rate, self.burst
        full = [c for c, (t, at) in self._buckets.items() if t + (now - at) * rate >= burst]
        for client in full:
            del self._buckets[client]
