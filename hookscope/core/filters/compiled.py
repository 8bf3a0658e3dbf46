"""A compiled query, ready to test captures one at a time (on arrival) or summaries in bulk."""

from __future__ import annotations

from dataclasses import dataclass

from hookscope.core.eventtype import detect_event_type
from hookscope.core.filters.meta_fields import EventTypeTerm
from hookscope.core.filters.nodes import Body, Cost, HeaderTerm, Node, RowTest
from hookscope.core.filters.parser import parse
from hookscope.core.filters.sig_field import bind_signatures
from hookscope.core.model import Capture, summarize
from hookscope.core.signature_settings import SignatureSettings

__all__ = ["CaptureFilter", "compile_filter"]


@dataclass(frozen=True, slots=True, eq=False)
class CaptureFilter:
    """Immutable, so one filter may be used from several threads at once."""

    text: str
    root: Node | None
    reads_event_type: bool

    @property
    def matches_all(self) -> bool:
        return self.root is None

    @property
    def needs_headers(self) -> bool:
        """Some term reads the header list (summaries alone cannot decide)."""
        return self.root is not None and any(
            isinstance(term, HeaderTerm) for term in self.root.terms()
        )

    @property
    def needs_body(self) -> bool:
        """Some term may read the body (free text, body:, json:)."""
        return self.root is not None and self.root.cost is Cost.BODY

    def row_test(self) -> RowTest | None:
        """A plain predicate over summaries when they suffice, else None."""
        if self.root is None or self.root.cost is not Cost.SUMMARY:
            return None
        return self.root.row_test()

    def matches_capture(self, capture: Capture) -> bool:
        """Whether a whole capture (headers and body in memory) matches."""
        if self.root is None:
            return True
        event_type = (
            detect_event_type(capture.headers, capture.body) if self.reads_event_type else ""
        )
        row = summarize(capture, event_type)
        return bool(self.root.decide(row, capture.headers, Body(capture.body)))


def compile_filter(text: str, *, signatures: SignatureSettings | None = None) -> CaptureFilter:
    """Parse a query; raises FilterError (with the position of the fault) and nothing else.
    `signatures` are what sig: terms check with (none: every capture is unchecked)."""
    root = parse(text)
    bind_signatures(root, signatures)
    reads_event_type = root is not None and any(
        isinstance(term, EventTypeTerm) for term in root.terms()
    )
    return CaptureFilter(text, root, reads_event_type)
