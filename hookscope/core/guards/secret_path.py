"""The secret path prefix: only who holds the URL can post. `/h/<32 hex>/anything` passes;
every other target is refused. The stored target keeps the prefix (a provider such as Twilio
signs the whole URL it called, so the target stays exactly as received); `strip` gives the
path without it for matching settings and for display."""

from __future__ import annotations

import hmac
import secrets

__all__ = ["PREFIX_ROOT", "SecretPath", "new_secret"]

PREFIX_ROOT = "/h/"


def new_secret() -> str:
    return secrets.token_hex(16)


class SecretPath:
    def __init__(self, secret: str | None = None) -> None:
        self.secret = secret or new_secret()
        self.prefix = f"{PREFIX_ROOT}{self.secret}"
        self._prefix_bytes = self.prefix.encode("latin-1")

    def admits(self, target: str) -> bool:
        """True if `target` (raw, as received) is under the prefix."""
        head = target[: len(self.prefix)]
        # Constant time over the secret part: no timing oracle on how much of it matched.
        if not hmac.compare_digest(head.encode("latin-1", "replace"), self._prefix_bytes):
            return False
        rest = target[len(self.prefix) :]
        return rest == "" or rest[0] in "/?"

    def strip(self, target: str) -> str:
        """The target without the prefix (`/` at least); unchanged if not under it."""
        if not self.admits(target):
            return target
        rest = target[len(self.prefix) :]
        return rest if rest.startswith("/") else "/" + rest
