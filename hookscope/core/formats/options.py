"""What every exporter is given besides the captures: where curl should send them, and which
redaction (if any) to apply on the way out."""

from __future__ import annotations

from dataclasses import dataclass

from hookscope.core.defaults import DEFAULT_HOST, DEFAULT_PORT
from hookscope.core.model import Capture
from hookscope.core.redact import RedactionReport, Redactor

__all__ = ["DEFAULT_BASE_URL", "ExportOptions"]

# hookscope's own receiver: replaying an export into hookscope is the safe default target.
DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    base_url: str = DEFAULT_BASE_URL
    redactor: Redactor | None = None

    def prepare(self, capture: Capture) -> tuple[Capture, RedactionReport | None]:
        """The capture as it should be written, and the redaction report when redacting."""
        if self.redactor is None:
            return capture, None
        return self.redactor.redact(capture)
