"""Webhook signatures: sign and verify every common scheme, and say why a signature fails.

    from hookscope.core.signing import SCHEMES
    headers = SCHEMES["stripe"].sign(body, "whsec_…", timestamp=1700000000)
    verdict = SCHEMES["stripe"].verify(headers, body, "whsec_…", now=1700000010)
    verdict.valid, verdict.reason, verdict.detail, verdict.diagnosis

`sign` returns the headers to add, in order; `verify` takes a request's header list (a
`Capture`'s `headers` as they are), the raw body bytes, the secret (or several during a
rotation), the URL for the schemes that sign it, the clock and the tolerance.
"""

from __future__ import annotations

from hookscope.core.signing.errors import SigningInputError
from hookscope.core.signing.ids import new_message_id
from hookscope.core.signing.registry import SCHEMES, detect_schemes, get_scheme
from hookscope.core.signing.result import Diagnosis, Reason, Verification
from hookscope.core.signing.scheme import Scheme, Secrets
from hookscope.core.signing.schemes.generic_hmac import GenericHmac

__all__ = [
    "SCHEMES",
    "Diagnosis",
    "GenericHmac",
    "Reason",
    "Scheme",
    "Secrets",
    "SigningInputError",
    "Verification",
    "detect_schemes",
    "get_scheme",
    "new_message_id",
]
