"""The Signature tab: each fact once, timestamps as dates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from hookscope.core.model import Capture
from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES
from hookscope.core.verdicts import CaptureVerdict, check_capture
from hookscope.ui.widgets.signature_view import SignatureView

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY = b'{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"amount":4200}}}'
SIGNED_AT = 1_700_000_000


def verdict(body: bytes) -> CaptureVerdict:
    headers = (*SCHEMES["stripe"].sign(BODY, SECRET, timestamp=SIGNED_AT),)
    settings = SignatureSettings(
        [SignatureSetting("/stripe*", "stripe", (SECRET,))], Path("/nonexistent/sig.json")
    )
    capture = Capture(
        "POST", "/stripe", (*headers, ("Content-Type", "application/json")), body,
        received_us=(SIGNED_AT + 5) * 1_000_000,
    )  # fmt: skip
    return check_capture(capture, settings, diagnose=True)


def test_the_diagnosis_is_said_once(qtbot: Any) -> None:
    view = SignatureView()
    qtbot.addWidget(view)
    result = verdict(json.dumps(json.loads(BODY), indent=2).encode())
    assert result.verification is not None
    assert result.verification.diagnosis is not None
    view.show_verdict(result)
    text = view.text.toPlainText()
    explanation = result.verification.diagnosis.explanation
    assert "Likely cause" in text
    assert text.count(explanation) == 1
    assert "No signature matches what this secret signs over this body." in text


def test_signed_at_is_a_date_in_utc_and_local_time(qtbot: Any) -> None:
    view = SignatureView()
    qtbot.addWidget(view)
    view.show_verdict(verdict(BODY))
    text = view.text.toPlainText()
    local = datetime.fromtimestamp(SIGNED_AT).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert "2023-11-14 22:13:20 UTC" in text
    assert local in text
    assert str(SIGNED_AT) in text
