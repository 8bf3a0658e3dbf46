"""What the receiver sent back for a capture, as the sender saw it, for display.

The store keeps the answer hookscope chose (status, the rule's headers and body). On the wire
the receiver and aiohttp add headers after those: `Server` (unless the answer has its own), then
`Content-Length` (not for 1xx, 204 and 304), a default `Content-Type` when a body has none, and
`Date`. Those are reconstructed here, and marked as such: they were not recorded, and `Date` is
the moment the request arrived, not the exact second the answer left.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus

from hookscope import __version__
from hookscope.core.model import Capture, Header, first_header
from hookscope.core.rules import HANGUP_CLOSE, HANGUP_RESET

__all__ = ["RECONSTRUCTED", "SentAnswer", "sent_answer", "status_phrase"]

SERVER = f"hookscope/{__version__}"
RECONSTRUCTED = "added by the server; reconstructed, not recorded"
_NO_LENGTH = {204, 304}


@dataclass(frozen=True, slots=True)
class SentAnswer:
    status_line: str  # `503 Service Unavailable · read in 0.05 ms · by rule "flaky"`
    answered: bool  # False: the connection was dropped (or the sender left) instead
    headers: tuple[Header, ...]
    notes: tuple[str, ...]  # per header: "" if recorded, else why it is shown
    body: bytes


def status_phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def sent_answer(capture: Capture) -> SentAnswer:
    parts = [f"read in {capture.read_ms:.2f} ms"]
    if capture.rule:
        parts.append(f'by rule "{capture.rule}"')
    hangup = {
        HANGUP_RESET: "no answer: the connection was reset",
        HANGUP_CLOSE: "no answer: the connection was held, then closed",
    }.get(capture.rejected or "")
    if hangup is None and (capture.rejected or "").startswith("incomplete-body"):
        hangup = "no answer: the sender left before the body ended"
    if hangup is not None:
        return SentAnswer(" · ".join([hangup, *parts]), False, (), (), b"")
    status = capture.response_status
    recorded = capture.response_headers
    headers: list[Header] = list(recorded)
    notes = [""] * len(recorded)
    if first_header(recorded, "Server") is None:  # an answer's own Server header wins
        headers.append(("Server", SERVER))
        notes.append(RECONSTRUCTED)
    body = capture.response_body
    if status >= 200 and status not in _NO_LENGTH:
        headers.append(("Content-Length", str(len(body))))
        notes.append(RECONSTRUCTED)
        if body and first_header(recorded, "Content-Type") is None:
            headers.append(("Content-Type", "application/octet-stream"))
            notes.append(RECONSTRUCTED)
    headers.append(("Date", formatdate(capture.received_us / 1_000_000, usegmt=True)))
    notes.append(RECONSTRUCTED + " (the time the request arrived)")
    line = " · ".join([status_phrase(status), *parts])
    return SentAnswer(line, True, tuple(headers), tuple(notes), body)
