"""A store that is not one, or is damaged, is reported in one line at open, exit 2, by every
command that opens it; a path with nothing there yet is still created where that makes sense."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hookscope.core.record import to_json_line
from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.factories import make_capture
from tests.helpers import run_cli

COMMANDS = ("listen", "export", "import", "gui")


def _run(command: str, db: Path, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    if command == "listen":
        return run_main("listen", "--port", "0", "--db", str(db))
    if command == "export":
        return run_main("export", "--format", "ndjson", "--db", str(db))
    if command == "import":
        source = tmp_path / "one.ndjson"
        source.write_text(to_json_line(make_capture()) + "\n")
        return run_main("import", str(source), "--db", str(db))
    # The app in its own process: Qt's application object is one per process.
    return run_cli("gui", "--port", "0", "--db", str(db), timeout=30)


def _one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 2, result.stderr.decode()
    assert result.stdout == b""
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_random_bytes_are_not_a_store(command: str, tmp_path: Path) -> None:
    db = tmp_path / "junk.db"
    db.write_bytes(os.urandom(20_000))
    line = _one_error_line(_run(command, db, tmp_path))
    assert line == f"hookscope: error: {db} is damaged: file is not a database"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_truncated_store_is_damaged(command: str, tmp_path: Path) -> None:
    db = tmp_path / "cut.db"
    with Store.open(db) as store:
        store.add_many([make_capture(target="/" + "p" * 300) for _ in range(3000)])
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    line = _one_error_line(_run(command, db, tmp_path))
    assert line == f"hookscope: error: {db} is damaged: database disk image is malformed"


def test_export_of_an_empty_file_says_it_is_not_a_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    line = _one_error_line(_run("export", db, tmp_path))
    assert line == f"hookscope: error: {db} is empty: it is not a capture store"
    assert db.stat().st_size == 0  # and export left it as it was


def test_export_of_a_missing_store_says_there_is_none(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    line = _one_error_line(_run("export", db, tmp_path))
    assert line == f"hookscope: error: no capture store at {db}"
    assert not db.exists()


def test_import_into_a_new_path_still_creates_the_store(tmp_path: Path) -> None:
    db = tmp_path / "new" / "c.db"
    result = _run("import", db, tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    with Store.open(db) as store:
        assert store.count() == 1
