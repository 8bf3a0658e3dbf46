"""The capture: one HTTP request exactly as it arrived, and what hookscope answered.

Nothing here parses or re-serialises a body. Header names and values, and the request target,
are kept as latin-1 text so that every byte that came off the wire maps to exactly one character
and back again (`str.encode("latin-1")` restores the original bytes).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from sys import intern
from urllib.parse import unquote

Header = tuple[str, str]

__all__ = [
    "HOP_BY_HOP",
    "NOT_COPIED_ON_RESEND",
    "Capture",
    "CaptureSummary",
    "Header",
    "first_header",
    "format_timestamp",
    "media_type",
    "now_us",
    "parse_timestamp",
    "path_of",
    "summarize",
]


@dataclass(slots=True)
class Capture:
    """A received request. `id` is None until the store has assigned one."""

    method: str
    target: str
    headers: tuple[Header, ...]
    body: bytes
    received_us: int
    http_version: str = "1.1"
    remote: str = ""
    response_status: int = 200
    response_headers: tuple[Header, ...] = ()
    response_body: bytes = b""
    rejected: str | None = None
    rule: str | None = None
    body_size: int = -1
    read_ms: float = 0.0
    id: int | None = None
    starred: bool = False
    note: str = ""
    # `scheme://host[:port]` of the URL a request went to, when an import knows it (another
    # tool's HAR of an https call); None for what the receiver took in (plain http, the Host
    # header names the host).
    origin: str | None = None

    def __post_init__(self) -> None:
        if self.body_size < 0:
            self.body_size = len(self.body)

    @property
    def path(self) -> str:
        """The percent-decoded path (UTF-8, undecodable bytes replaced), for display and filters."""
        return path_of(self.target)

    @property
    def query(self) -> str:
        """The raw query string without `?`, empty if there is none."""
        parts = self.target.split("?", 1)
        return parts[1] if len(parts) == 2 else ""

    def header(self, name: str) -> str | None:
        """The first value of a header, matched without regard to case."""
        return first_header(self.headers, name)

    def header_values(self, name: str) -> list[str]:
        """Every value of a header, in received order (see `header_values`)."""
        return header_values(self.headers, name)

    @property
    def content_type(self) -> str:
        return media_type(self.headers)

    @property
    def received_at(self) -> float:
        return self.received_us / 1_000_000

    def with_id(self, capture_id: int) -> Capture:
        return replace(self, id=capture_id)


@dataclass(slots=True, frozen=True)
class CaptureSummary:
    """The light row that lists and filters work on: no body, no header list."""

    id: int
    received_us: int
    method: str
    target: str
    path: str
    response_status: int
    body_size: int
    content_type: str
    event_type: str
    remote: str
    rejected: str | None
    starred: bool
    note: str = ""  # the user's note (the table's Note column)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def now_us() -> int:
    return time.time_ns() // 1000


# Headers that belong to one connection, or that an HTTP client writes for the request it
# actually sends: never copied from a capture onto a new request (replay, curl, resend).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
NOT_COPIED_ON_RESEND = HOP_BY_HOP | {"content-length", "host"}


# The one header lookup. Names match in any case; a value loses the spaces and tabs around it,
# which RFC 9110 (5.5) says are not part of it (aiohttp strips them on the wire, but imported
# HAR and NDJSON files may keep them). Only lookups strip: stored headers stay as received.
_OWS = " \t"


def first_header(headers: Iterable[Header], name: str) -> str | None:
    """The first value of a header, its name matched without regard to case."""
    lname = name.lower()
    for key, value in headers:
        if key.lower() == lname:
            return value.strip(_OWS)
    return None


def header_values(headers: Iterable[Header], name: str) -> list[str]:
    """Every value of a header, in received order, its name matched without regard to case."""
    lname = name.lower()
    return [value.strip(_OWS) for key, value in headers if key.lower() == lname]


def media_type(headers: Iterable[Header]) -> str:
    """The Content-Type without its parameters, lower case ("" if there is none)."""
    return (first_header(headers, "Content-Type") or "").split(";", 1)[0].strip().lower()


def summarize(capture: Capture, event_type: str) -> CaptureSummary:
    """The light row for a capture that is already in memory (e.g. one just received; one not
    stored yet gets id 0). Strings that repeat from row to row are interned: one shared copy
    keeps a window listing 100k captures ~24 MB smaller."""
    return CaptureSummary(
        id=capture.id if capture.id is not None else 0,
        received_us=capture.received_us,
        method=intern(capture.method),
        target=capture.target,
        path=capture.path,
        response_status=capture.response_status,
        body_size=capture.body_size,
        content_type=intern(capture.content_type),
        event_type=intern(event_type),
        remote=intern(capture.remote),
        rejected=capture.rejected,
        starred=capture.starred,
        note=capture.note,
    )


def path_of(target: str) -> str:
    """The percent-decoded path of a request target. Absolute-form targets, as sent to proxies,
    lose their scheme and authority here; the target keeps them."""
    raw = target.split("?", 1)[0]
    if raw.startswith(("http://", "https://")):
        after_scheme = raw.split("://", 1)[1]
        slash = after_scheme.find("/")
        raw = after_scheme[slash:] if slash >= 0 else "/"
    if "%" not in raw and raw.isascii():
        return raw
    return unquote(raw.encode("latin-1").decode("utf-8", "replace"))


def format_timestamp(unix_us: int) -> str:
    """RFC 3339 UTC with microseconds, as the capture record requires (integer math: exact)."""
    moment = _EPOCH + timedelta(microseconds=unix_us)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> int:
    """Inverse of `format_timestamp`, in microseconds; accepts any RFC 3339 offset."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)
