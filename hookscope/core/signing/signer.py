"""A signer for the sender: one event, signed afresh for every attempt.

Retries of one event keep its message id (receivers dedupe on it) and carry a new timestamp
each time, as Standard Webhooks and Svix do; `sender.send` calls the signer once per attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hookscope.core.model import Header
from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.ids import new_message_id
from hookscope.core.signing.registry import get_scheme
from hookscope.core.signing.scheme import Scheme, Secrets

__all__ = ["SchemeSigner"]


class SchemeSigner:
    """`(body, url) -> headers` for `sender.send`. The secret is decoded once, here, so that a
    bad one is reported before anything is sent (as `SigningInputError`)."""

    def __init__(
        self,
        scheme: str | Scheme[Any, Any],
        secret: Secrets,
        *,
        msg_id: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scheme = get_scheme(scheme) if isinstance(scheme, str) else scheme
        self.secret = secret
        self.msg_id = msg_id or new_message_id()
        self.clock = clock
        secrets = [secret] if isinstance(secret, str) else list(secret)
        if not secrets or not all(secrets):
            raise SigningInputError("the secret is empty")
        for one in secrets:
            self.scheme.load_signing_key(one)

    def __call__(self, body: bytes, url: str) -> list[Header]:
        timestamp = int(self.clock())
        return self.scheme.sign(body, self.secret, msg_id=self.msg_id, timestamp=timestamp, url=url)
