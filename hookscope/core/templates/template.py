"""A template: a ready-made webhook to start composing from, as a provider would send it."""

from __future__ import annotations

from dataclasses import dataclass

from hookscope.core.model import Header
from hookscope.core.send.sender import OutgoingRequest

__all__ = ["Template"]


@dataclass(frozen=True, slots=True)
class Template:
    """`body` is the exact text sent (UTF-8), with `{{variables}}` where each send should get
    fresh values; `scheme` is the signing scheme the provider uses (None: the user picks)."""

    name: str
    title: str
    description: str
    method: str
    path: str
    headers: tuple[Header, ...]
    body: str
    scheme: str | None = None

    @property
    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8")

    def request(self, base_url: str) -> OutgoingRequest:
        """The template as a request to `base_url` followed by its default path (variables not
        yet expanded)."""
        url = base_url.rstrip("/") + self.path
        return OutgoingRequest(self.method, url, self.headers, self.body_bytes)

    def describe(self) -> dict[str, object]:
        """Plain data for `hookscope templates --json` and the app."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "method": self.method,
            "path": self.path,
            "headers": [list(h) for h in self.headers],
            "body": self.body,
            "scheme": self.scheme,
        }
