"""`sig:` — captures by their signature verdict (✓ valid, ✗ invalid, – unchecked) or by the
reason a check failed, under the signature settings the filter was compiled with (the app's,
or `export --filter`'s): the same verdicts the table shows."""

from __future__ import annotations

import difflib

from hookscope.core.filters.field import Field
from hookscope.core.filters.nodes import Body, Cost, Headers, HeaderTerm, Node
from hookscope.core.filters.values import Value
from hookscope.core.model import Capture, CaptureSummary
from hookscope.core.signature_settings import SignatureSettings
from hookscope.core.signing import Reason
from hookscope.core.verdicts import INVALID, UNCHECKED, VALID, CaptureVerdict, check_capture

__all__ = ["SigField", "SigTerm", "bind_signatures"]

_VERDICTS = {"valid": VALID, "invalid": INVALID, "unchecked": UNCHECKED}
_REASONS = tuple(reason.value for reason in Reason if reason is not Reason.OK)
_WORDS = (*_VERDICTS, *_REASONS)
_NOTHING = SignatureSettings([])


class SigTerm(HeaderTerm):
    """Needs headers and body (the signature covers both); a path no setting covers is
    unchecked without reading either."""

    cost = Cost.BODY

    def __init__(self, wanted: str) -> None:
        super().__init__(lambda _headers: False)
        self.wanted = wanted
        self.settings = _NOTHING  # set by compile_filter

    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        if self.settings.for_path(row.path) is None:
            return self.wanted == "unchecked"
        if headers is None or body is None:
            return None
        capture = Capture(row.method, row.target, tuple(headers), body.raw, row.received_us)
        return self._matches(check_capture(capture, self.settings))

    def _matches(self, verdict: CaptureVerdict) -> bool:
        symbol = _VERDICTS.get(self.wanted)
        if symbol is not None:
            return verdict.symbol == symbol
        return verdict.verification is not None and verdict.verification.reason == self.wanted


class SigField(Field):
    name = "sig"
    usage = (
        ("sig:valid", "the signature verifies (Signature settings: a secret for the path)"),
        ("sig:invalid", "it does not, or a signed path's capture has no signature"),
        ("sig:unchecked", "no setting or secret for the path, or no known signature header"),
        ("sig:bad-signature", "why a check failed: " + ", ".join(_REASONS[:3]) + ", …"),
    )
    hint = "sig needs valid, invalid, unchecked or a reason like bad-signature"

    @classmethod
    def parse(cls, value: Value) -> Node:
        wanted = value.text.lower()
        if wanted not in _WORDS:
            close = difflib.get_close_matches(wanted, _WORDS, n=1, cutoff=0.5)
            if not close or not wanted.isprintable():
                raise value.error(cls.hint)
            raise value.error(f"unknown verdict sig:{value.text} — did you mean sig:{close[0]}?")
        return SigTerm(wanted)


def bind_signatures(root: Node | None, settings: SignatureSettings | None) -> None:
    """Give every sig: term the settings to check with."""
    if root is None:
        return
    for term in root.terms():
        if isinstance(term, SigTerm):
            term.settings = settings or _NOTHING
