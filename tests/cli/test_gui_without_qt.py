"""A headless install (no PySide6) still runs the command line, and `gui` says what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def _without_pyside6(tmp_path: Path) -> dict[str, str]:
    # A module that fails to import as a missing package does, ahead of site-packages.
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    (blocker / "PySide6.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'PySide6'\", name='PySide6')\n"
    )
    return {**os.environ, "PYTHONPATH": str(blocker), "QT_QPA_PLATFORM": "offscreen"}


def test_gui_without_pyside6_says_how_to_install_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hookscope", "gui", "--db", str(tmp_path / "c.db")],
        capture_output=True,
        text=True,
        env=_without_pyside6(tmp_path),
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hookscope: error: ")
    assert "PySide6" in lines[0]
    assert "pip install" in lines[0]


def test_command_line_works_without_pyside6(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hookscope", "schemes"],
        capture_output=True,
        text=True,
        env=_without_pyside6(tmp_path),
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "stripe" in result.stdout
