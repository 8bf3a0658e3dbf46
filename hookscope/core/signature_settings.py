"""Which secret checks which captures: signature settings per path pattern.

The user says "captures under /hooks/stripe/* are Stripe's, signed with whsec_…". Settings live
in the user's config folder, in a file only its owner can read; secrets never go into the
capture store or any export.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hookscope.core.errors import HookscopeError
from hookscope.core.glob import glob_match
from hookscope.core.paths import config_dir

__all__ = ["AUTO", "SignatureSetting", "SignatureSettings", "default_settings_path"]

AUTO = "auto"  # pick the scheme from the request's headers


@dataclass(frozen=True)
class SignatureSetting:
    path: str  # glob over the decoded path, e.g. /hooks/stripe/*
    scheme: str = AUTO
    secrets: tuple[str, ...] = ()  # several during a rotation
    public_url: str = ""  # what the provider signed (Twilio, Square): base URL it called
    tolerance_s: float | None = None  # None: the provider's own
    hmac: dict[str, str] = field(default_factory=dict)  # generic hmac: header, algorithm, …

    def matches(self, path: str) -> bool:
        return glob_match(self.path, path)

    def url_for(self, target: str, host: str) -> str:
        """The full URL the sender signed: the public base if given, else this host."""
        if self.public_url:
            return self.public_url.rstrip("/") + target
        return f"http://{host}{target}" if host else target


def default_settings_path() -> Path:
    return config_dir() / "signatures.json"


class SignatureSettings:
    def __init__(
        self, settings: list[SignatureSetting] | None = None, path: Path | None = None
    ) -> None:
        self.settings = list(settings or [])
        self.path = path

    def for_path(self, path: str) -> SignatureSetting | None:
        """The first setting whose pattern matches; None if the path has none."""
        for setting in self.settings:
            if setting.matches(path):
                return setting
        return None

    # -- persistence ----------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> SignatureSettings:
        path = path or default_settings_path()
        if not path.exists():
            return cls([], path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HookscopeError(f"cannot read signature settings {path}: {exc}") from None
        entries = document.get("settings") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise HookscopeError(f"{path}: expected an object with a 'settings' list")
        return cls(
            [_setting(entry, f"{path}: settings[{i}]") for i, entry in enumerate(entries)], path
        )

    def save(self, path: Path | None = None) -> Path:
        """Write atomically, readable and writable by the owner only (it holds secrets)."""
        target = path or self.path or default_settings_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        document = {"settings": [_plain(s) for s in self.settings]}
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".signatures-")
        try:
            # mkstemp already made it owner-only; say so again where the OS can (Windows has
            # no os.fchmod before Python 3.13, and no POSIX modes to set anyway).
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(document, out, indent=2)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.path = target
        return target


def _plain(setting: SignatureSetting) -> dict[str, Any]:
    data = asdict(setting)
    data["secrets"] = list(setting.secrets)
    return data


def _setting(entry: object, where: str) -> SignatureSetting:
    if not isinstance(entry, dict):
        raise HookscopeError(f"{where}: expected an object")
    path = entry.get("path")
    if not isinstance(path, str) or not path:
        raise HookscopeError(f"{where}: 'path' must be a non-empty pattern such as /hooks/*")
    secrets = entry.get("secrets", [])
    if not isinstance(secrets, list) or not all(isinstance(s, str) for s in secrets):
        raise HookscopeError(f"{where}: 'secrets' must be a list of strings")
    tolerance = entry.get("tolerance_s")
    if tolerance is not None and not isinstance(tolerance, int | float):
        raise HookscopeError(f"{where}: 'tolerance_s' must be a number of seconds or null")
    hmac_options = entry.get("hmac", {})
    if not isinstance(hmac_options, dict):
        raise HookscopeError(f"{where}: 'hmac' must be an object")
    return SignatureSetting(
        path=path,
        scheme=str(entry.get("scheme", AUTO)),
        secrets=tuple(secrets),
        public_url=str(entry.get("public_url", "")),
        tolerance_s=float(tolerance) if tolerance is not None else None,
        hmac={str(k): str(v) for k, v in hmac_options.items()},
    )
