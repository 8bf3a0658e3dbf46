"""A request signed by one scheme and checked with another: the verdict names the right one.

The schemes tried are the ones the caller passes (the registry's, in the app and CLI), so the
diagnosis never has to reach for the registry itself."""

from __future__ import annotations

from hookscope.core.signing import SCHEMES

SECRET = "hookscope-shared-secret"
BODY = b'{"id":"evt_1"}'
NOW = 1_700_000_000


def _signed_by_github() -> list[tuple[str, str]]:
    return SCHEMES["github"].sign(BODY, SECRET, timestamp=NOW, msg_id="m", url="")


def test_wrong_scheme_is_named_when_candidates_are_given() -> None:
    verdict = SCHEMES["shopify"].verify(
        _signed_by_github(), BODY, SECRET, now=NOW, candidates=SCHEMES
    )
    assert not verdict.valid
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.code == "wrong-scheme"
    assert "github" in verdict.detail


def test_without_candidates_no_other_scheme_is_tried() -> None:
    verdict = SCHEMES["shopify"].verify(_signed_by_github(), BODY, SECRET, now=NOW)
    assert not verdict.valid
    assert verdict.diagnosis is None


def test_detected_headers_are_hinted_from_the_candidates() -> None:
    verdict = SCHEMES["shopify"].verify(
        _signed_by_github(), BODY, "another-secret", now=NOW, candidates=SCHEMES
    )
    assert verdict.diagnosis is None
    assert "carries the headers of: github" in verdict.detail
