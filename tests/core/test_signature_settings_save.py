"""Signature settings hold secrets: saved owner-only on every platform hookscope runs on."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from hookscope.core.signature_settings import SignatureSetting, SignatureSettings


def test_save_works_where_os_has_no_fchmod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows before Python 3.13 has no os.fchmod; saving must not depend on it.
    monkeypatch.delattr(os, "fchmod", raising=False)
    target = tmp_path / "signatures.json"
    SignatureSettings([SignatureSetting("/hooks/*", "stripe", ("whsec_x",))]).save(target)
    loaded = SignatureSettings.load(target)
    assert loaded.settings[0].secrets == ("whsec_x",)
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["signatures.json"]  # no temporary left


def test_save_is_owner_only(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX permission bits")
    target = tmp_path / "signatures.json"
    SignatureSettings([SignatureSetting("/a", secrets=("s",))]).save(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
