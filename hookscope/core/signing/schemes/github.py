"""GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, keyed by the webhook
secret as text. GitHub also sends the legacy `X-Hub-Signature: sha1=…`, which `github-sha1`
checks. No timestamp: replays are caught by deduplicating `X-GitHub-Delivery`."""

from __future__ import annotations

from hookscope.core.signing.scheme import Secrets
from hookscope.core.signing.schemes.header_envelope import HeaderHmacScheme

__all__ = ["GitHub", "GitHubSha1"]


class GitHubSha1(HeaderHmacScheme):
    name = "github-sha1"
    title = "GitHub, legacy X-Hub-Signature (HMAC-SHA1)"
    headers = ("X-Hub-Signature",)
    detect_headers = headers
    signature_header = "X-Hub-Signature"
    prefix = "sha1="
    digest = "sha1"
    encoding = "hex"


class GitHub(HeaderHmacScheme):
    name = "github"
    title = "GitHub"
    headers = ("X-Hub-Signature-256", "X-Hub-Signature")
    detect_headers = ("X-Hub-Signature-256",)
    signature_header = "X-Hub-Signature-256"
    prefix = "sha256="
    encoding = "hex"

    def sign(
        self,
        body: bytes,
        secret: Secrets,
        *,
        msg_id: str = "",
        timestamp: int | None = None,
        url: str = "",
    ) -> list[tuple[str, str]]:
        """Both headers, as GitHub sends them when a secret is set."""
        return super().sign(body, secret) + GitHubSha1().sign(body, secret)
