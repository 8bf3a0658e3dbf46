"""Signature verdicts for captures: ✓ valid, ✗ invalid, – nothing to check.

A capture is checked against the signature setting for its path, at the moment it was
received (not now: a day-old capture was not "too old" when it arrived). A capture that came in
through a public tunnel is matched on its path under the secret prefix (settings name the
provider's path), and verified over the target as received (a provider that signs the URL
signed the one it called). The table needs only
the verdict; the Signature tab asks for the diagnosis as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hookscope.core.errors import HookscopeError
from hookscope.core.model import Capture
from hookscope.core.secret_path import split_prefix
from hookscope.core.signature_settings import AUTO, SignatureSetting, SignatureSettings
from hookscope.core.signing import (
    SCHEMES,
    GenericHmac,
    Scheme,
    SigningInputError,
    Verification,
    detect_schemes,
)

__all__ = ["CaptureVerdict", "check_capture"]

VALID, INVALID, UNCHECKED = "✓", "✗", "–"


@dataclass(frozen=True)
class CaptureVerdict:
    symbol: str  # ✓, ✗ or –
    summary: str  # one line for a tooltip
    verification: Verification | None = None
    setting: SignatureSetting | None = None
    url: str = ""


def check_capture(
    capture: Capture, settings: SignatureSettings, *, diagnose: bool = False
) -> CaptureVerdict:
    setting = settings.for_path(split_prefix(capture.path)[1])
    if setting is None:
        return CaptureVerdict(UNCHECKED, "no signature setting for this path")
    if not setting.secrets:
        return CaptureVerdict(UNCHECKED, f"no secret set for {setting.path}", setting=setting)
    try:
        scheme = _scheme_for(setting, capture)
    except (HookscopeError, SigningInputError) as exc:
        return CaptureVerdict(INVALID, str(exc), setting=setting)
    if scheme is None:
        return CaptureVerdict(
            UNCHECKED, "no known signature header (choose a scheme for this path)", setting=setting
        )
    url = setting.url_for(capture.target, capture.header("Host") or "")
    try:
        verification = scheme.verify(
            capture.headers,
            capture.body,
            list(setting.secrets),
            url=url,
            now=capture.received_us / 1_000_000,
            tolerance=setting.tolerance_s,
            diagnose=diagnose,
            candidates=SCHEMES,
        )
    except SigningInputError as exc:  # e.g. a secret that is not in the provider's format
        return CaptureVerdict(INVALID, str(exc), setting=setting, url=url)
    symbol = VALID if verification.valid else INVALID
    summary = f"{verification.scheme}: {verification.reason.value}: {verification.detail}"
    return CaptureVerdict(symbol, summary, verification, setting, url)


def _scheme_for(setting: SignatureSetting, capture: Capture) -> Scheme[Any, Any] | None:
    if setting.scheme == AUTO:
        found = detect_schemes(capture.headers)
        return SCHEMES[found[0]] if found else None
    if setting.scheme == "hmac":
        return GenericHmac(**setting.hmac)
    if setting.scheme not in SCHEMES:
        raise HookscopeError(f"unknown scheme {setting.scheme!r} for {setting.path}")
    return SCHEMES[setting.scheme]
