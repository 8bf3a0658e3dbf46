"""One click to a first capture: a template event, signed with a demo secret, sent to the
app's own receiver, with a signature setting for its path so that its ✓ shows."""

from __future__ import annotations

from dataclasses import replace

from hookscope.core.send.sender import SendResult, send
from hookscope.core.send.signer import make_signer
from hookscope.core.send.variables import Variables
from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.templates import TEMPLATES

__all__ = ["DEMO_SECRET", "SAMPLE_PATH", "curl_example", "send_sample", "with_demo_setting"]

SAMPLE_PATH = "/hooks/sample"
SCHEME = "standard-webhooks"
# Not a real secret: it signs the sample event only, and says so when decoded.
DEMO_SECRET = "whsec_aG9va3Njb3BlIGRlbW8gc2VjcmV0OiBub3QgcmVhbA=="


def curl_example(base_url: str) -> str:
    """A command that works as it is, pasted into a shell."""
    return (
        f"curl -X POST {base_url.rstrip('/')}/hooks/test \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        """  -d '{"event":"hello","amount":4200}'"""
    )


def with_demo_setting(settings: SignatureSettings) -> SignatureSettings | None:
    """The settings plus one for the sample's path, or None if a setting covers it already
    (the user's own settings are never changed, only added to)."""
    if settings.for_path(SAMPLE_PATH) is not None:
        return None
    added = SignatureSetting(SAMPLE_PATH + "*", SCHEME, (DEMO_SECRET,))
    return SignatureSettings([*settings.settings, added], settings.path)


async def send_sample(base_url: str) -> SendResult:
    template = TEMPLATES["order-created"]
    request = template.request(base_url.rstrip("/"))
    request = replace(request, url=base_url.rstrip("/") + SAMPLE_PATH)
    request = Variables().expand(request).request
    return await send(request, signer=make_signer(SCHEME, DEMO_SECRET))
