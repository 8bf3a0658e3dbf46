"""Variables in composed webhooks: `{{uuid}}`, `{{now}}`, `{{now_iso}}`, `{{random_int}}`,
`{{random_id}}` and `{{seq}}`, replaced in the body and the header values of one request.

Only the placeholders change: the body stays bytes and every other byte is left exactly as it
was, so a body that is not JSON (or not even text) passes through untouched. A name that is not
known is left as it is and reported, so a composer can warn about a typo instead of sending it.

Within one request the clock is read once, so `{{now}}` and `{{now_iso}}` name the same second
everywhere, and `{{seq}}` is this request's number. `{{uuid}}`, `{{random_int}}` and
`{{random_id}}` are drawn afresh at every occurrence: a template's event id and object id differ.
"""

from __future__ import annotations

import re
import string
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from random import Random, SystemRandom

from hookscope.core.model import Header
from hookscope.core.send.sender import OutgoingRequest

__all__ = [
    "VARIABLES",
    "Expansion",
    "Sequence",
    "Variables",
    "placeholders",
]

# name -> what it becomes, for help texts and the composer's hints.
VARIABLES: dict[str, str] = {
    "uuid": "a random UUID (version 4), fresh at each occurrence",
    "now": "the current time in whole UNIX seconds",
    "now_iso": "the current time in RFC 3339 UTC, e.g. 2026-11-27T08:19:52Z",
    "random_int": "a random integer from 1 to 2147483647, fresh at each occurrence",
    "random_id": "24 random letters and digits, like provider object ids, fresh each time",
    "seq": "this request's number in the session: 1, 2, 3, …",
}

# `{{ name }}`: spaces inside the braces are allowed, as most template languages do.
_PLACEHOLDER_TEXT = r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}"
_PLACEHOLDER = re.compile(_PLACEHOLDER_TEXT.encode("ascii"))
_ID_ALPHABET = string.ascii_letters + string.digits


class Sequence:
    """The `{{seq}}` counter: one number per request, shared by every request of a session."""

    def __init__(self, start: int = 1) -> None:
        self._next = start

    def take(self) -> int:
        value = self._next
        self._next += 1
        return value

    @property
    def next_value(self) -> int:
        return self._next


@dataclass(frozen=True, slots=True)
class Expansion:
    """A request with its variables replaced, and the unknown names found (in order, once)."""

    request: OutgoingRequest
    unknown: tuple[str, ...]


def placeholders(data: bytes | str) -> list[str]:
    """Every placeholder name in `data`, in order of appearance, each once."""
    raw = data.encode("latin-1", "replace") if isinstance(data, str) else data
    return list(dict.fromkeys(m.group(1).decode("ascii") for m in _PLACEHOLDER.finditer(raw)))


class Variables:
    """Expands requests. The clock, the random source, the UUID factory and the sequence are
    injectable so that tests (and a "repeat with the same values" feature) get fixed output."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        rng: Random | None = None,
        new_uuid: Callable[[], str] | None = None,
        sequence: Sequence | None = None,
    ) -> None:
        self._clock = clock
        self._rng = rng if rng is not None else SystemRandom()
        self._new_uuid = new_uuid if new_uuid is not None else _uuid_from(self._rng, rng is None)
        self.sequence = sequence if sequence is not None else Sequence()

    def expand(self, request: OutgoingRequest) -> Expansion:
        """The body and header values of `request` with their placeholders replaced."""
        one = _OneRequest(self, self._clock(), self.sequence.take())
        headers: list[Header] = [(name, one.text(value)) for name, value in request.headers]
        body = one.data(request.body)
        return Expansion(replace(request, headers=tuple(headers), body=body), tuple(one.unknown))

    def expand_bytes(self, data: bytes) -> tuple[bytes, tuple[str, ...]]:
        """One piece of data expanded as a request of its own (it takes a `{{seq}}` number)."""
        one = _OneRequest(self, self._clock(), self.sequence.take())
        return one.data(data), tuple(one.unknown)

    def value(self, name: str, now: float, seq: int) -> str | None:
        """The text of one variable, or None if the name is not known."""
        if name == "uuid":
            return self._new_uuid()
        if name == "now":
            return str(int(now))
        if name == "now_iso":
            return datetime.fromtimestamp(int(now), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if name == "random_int":
            return str(self._rng.randint(1, 2**31 - 1))
        if name == "random_id":
            return "".join(self._rng.choice(_ID_ALPHABET) for _ in range(24))
        if name == "seq":
            return str(seq)
        return None


class _OneRequest:
    """The values of one request: its instant, its number, and the unknown names met."""

    def __init__(self, variables: Variables, now: float, seq: int) -> None:
        self._variables = variables
        self._now = now
        self._seq = seq
        self.unknown: list[str] = []

    def data(self, data: bytes) -> bytes:
        if b"{{" not in data:  # the common case: no scan, the very same bytes
            return data
        return _PLACEHOLDER.sub(self._replace, data)

    def text(self, text: str) -> str:
        # Header values are latin-1 text, one character per wire byte: round-trip through it.
        if "{{" not in text:
            return text
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:  # typed text beyond latin-1 goes out as UTF-8
            return self.data(text.encode("utf-8")).decode("utf-8")
        return self.data(raw).decode("latin-1")

    def _replace(self, match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode("ascii")
        value = self._variables.value(name, self._now, self._seq)
        if value is None:
            if name not in self.unknown:
                self.unknown.append(name)
            return match.group(0)
        return value.encode("ascii")


def _uuid_from(rng: Random, system: bool) -> Callable[[], str]:
    """uuid4 from the OS when no generator was given; else from the given (seeded) one."""
    if system:
        return lambda: str(uuid.uuid4())
    return lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))
