"""The guards, screened in one call from the receiver's handler (`Receiver.guards`; None, the
default, costs one attribute test per request). Each refusal is an answer plus the reason
recorded in the capture's `rejected`: a refused request is still stored, so the user sees
who knocked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from hookscope.core.glob import glob_match
from hookscope.core.guards.forwarded import client_address
from hookscope.core.guards.rate_limit import RateLimiter
from hookscope.core.model import Capture, Header, now_us, path_of
from hookscope.core.rules import Answer
from hookscope.core.secret_path import SecretPath
from hookscope.core.signature_settings import SignatureSettings

__all__ = [
    "REJECTED_RATE",
    "REJECTED_SECRET_PATH",
    "REJECTED_SIGNATURE",
    "GuardSettings",
    "Guards",
    "Refusal",
]

Refusal = tuple[Answer, str]  # what to answer, what `rejected` says

REJECTED_SECRET_PATH = "guard-secret-path"
REJECTED_RATE = "guard-rate-limited"
REJECTED_SIGNATURE = "guard-signature"
_TEXT = (("Content-Type", "text/plain; charset=utf-8"),)
_NOT_FOUND = Answer(status=404, headers=_TEXT, body=b"not found\n", rule="guard: secret path")


@dataclass(frozen=True)
class GuardSettings:
    """Each guard on its own switch. `secret` keeps the same URL across restarts (None: a
    fresh one); `rate` is requests per second per client (0: no limit); `require_signature`
    lists path globs (without the secret prefix) whose requests must carry a valid signature
    by the signature settings."""

    secret_path: bool = True
    secret: str | None = None
    rate: float = 10.0
    burst: int = 20
    require_signature: tuple[str, ...] = ()

    @property
    def any_on(self) -> bool:
        return self.secret_path or self.rate > 0 or bool(self.require_signature)


class Guards:
    def __init__(
        self,
        settings: GuardSettings,
        signatures: Callable[[], SignatureSettings] | None = None,
    ) -> None:
        self.settings = settings
        self.secret_path = SecretPath(settings.secret) if settings.secret_path else None
        self.limiter = RateLimiter(settings.rate, settings.burst) if settings.rate > 0 else None
        self._signatures = signatures or SignatureSettings.load

    def signature_settings(self) -> SignatureSettings:
        """The signature settings required signatures are checked against, as of now."""
        return self._signatures()

    @property
    def prefix(self) -> str:
        """The path prefix to append to the public URL ("" when the guard is off)."""
        return self.secret_path.prefix if self.secret_path is not None else ""

    def display_target(self, target: str) -> str:
        """The target without the secret prefix, for showing and matching."""
        return self.secret_path.strip(target) if self.secret_path is not None else target

    def screen(
        self, method: str, target: str, headers: tuple[Header, ...], body: bytes, peer: str
    ) -> Refusal | None:
        """None to let the request through, else the answer and the `rejected` reason."""
        limiter = self.limiter
        if limiter is not None:
            client = client_address(headers, peer)
            if not limiter.allow(client):
                wait = limiter.retry_after(client)
                answer = Answer(
                    status=429,
                    headers=(*_TEXT, ("Retry-After", str(wait))),
                    body=b"too many requests\n",
                    rule="guard: rate limit",
                )
                return answer, f"{REJECTED_RATE}: {client}"
        if self.secret_path is not None and not self.secret_path.admits(target):
            return _NOT_FOUND, REJECTED_SECRET_PATH
        patterns = self.settings.require_signature
        if patterns:
            path = path_of(self.display_target(target))
            if any(glob_match(pattern, path) for pattern in patterns):
                problem = self._signature_problem(method, target, path, headers, body, peer)
                if problem is not None:
                    answer = Answer(
                        status=401,
                        headers=_TEXT,
                        body=b"missing or invalid signature\n",
                        rule="guard: signature required",
                    )
                    return answer, f"{REJECTED_SIGNATURE}: {problem}"
        return None

    def _signature_problem(
        self,
        method: str,
        target: str,
        path: str,
        headers: tuple[Header, ...],
        body: bytes,
        peer: str,
    ) -> str | None:
        from hookscope.core.verdicts import VALID, check_capture  # signing loads lazily

        setting = self._signatures().for_path(path)
        if setting is None:
            return f"no signature setting for {path}"
        # Matched on the path without the prefix; verified over the target as received, since
        # a provider that signs the URL (Twilio, Square) signed the one it called.
        only = SignatureSettings([replace(setting, path="*")])
        capture = Capture(method, target, headers, body, now_us(), remote=peer)
        verdict = check_capture(capture, only)
        return None if verdict.symbol == VALID else verdict.summary
