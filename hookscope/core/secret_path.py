"""The secret path prefix: only who holds the URL can post. `/h/<32 hex>/anything` passes;
every other target is refused. The stored target keeps the prefix (a provider such as Twilio
signs the whole URL it called, so the target stays exactly as received); `strip` gives the
path without it for matching settings and for display."""

from __future__ import annotations

import hmac
import re
import secrets

__all__ = ["PREFIX_ROOT", "SecretPath", "new_secret", "split_prefix"]

PREFIX_ROOT = "/h/"
_ANY_PREFIX = re.compile(r"^(/h/[0-9a-f]{32})(?=/|\?|$)")


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


def split_prefix(path: str) -> tuple[str, str]:
    """(secret prefix, the path under it) for any capture that came in under one, from this
    run or an earlier one; ("", path) otherwise. For display: the stored target is unchanged."""
    match = _ANY_PREFIX.match(path)
    if match is None:
        return "", path
    rest = path[match.end() :]
    return match.group(1), rest if rest.startswith("/") else "/" + rest
