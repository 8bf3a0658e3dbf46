"""Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>`, keyed by the app's
client_secret (the same header and algorithm as GitHub's legacy signature)."""

from __future__ import annotations

from hookscope.core.model import header_values
from hookscope.core.signing.headers import HeaderList
from hookscope.core.signing.schemes.github import GitHubSha1

__all__ = ["Intercom"]


class Intercom(GitHubSha1):
    name = "intercom"
    title = "Intercom (HMAC-SHA1)"
    secret_format = "the app's client_secret as UTF-8 text"

    def detect(self, headers: HeaderList) -> bool:
        # GitHub sends the same legacy header, always next to X-Hub-Signature-256.
        return super().detect(headers) and not header_values(headers, "X-Hub-Signature-256")
