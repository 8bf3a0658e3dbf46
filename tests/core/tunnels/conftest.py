"""Fake tunnel tools on PATH, and a record of every process they started."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

FAKES = Path(__file__).resolve().parent / "fakes"


def started(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def alive(pid: int) -> bool:
    """True if `pid` runs (a zombie waiting for its parent's wait() counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in {"Z", "X"}


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH starts with the fakes; returns the log of their starts."""
    log = tmp_path / "starts.ndjson"
    monkeypatch.setenv("PATH", f"{FAKES}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_TUNNEL_LOG", str(log))
    monkeypatch.delenv("FAKE_TUNNEL_MODE", raising=False)
    return log
