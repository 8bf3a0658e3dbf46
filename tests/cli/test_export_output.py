"""`export -o FILE` writes captures, which carry secrets: files end readable by their owner only,
and a symbolic link is never written through unless asked."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.formats.corpus import corpus


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "captures.db"
    with Store.open(path) as store:
        store.add_many(corpus()[:3])
    return path


def export(db: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    # A permissive umask, as many desktops have: the mode must not depend on it.
    return run_main(
        "export", "--db", str(db), "--format", "ndjson", "-o", str(out), *extra, umask=0o022
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_created_0600(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.ndjson"
    result = export(db, out)
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600
    assert out.read_bytes().count(b"\n") == 3


def test_an_existing_file_is_overwritten_and_ends_0600(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "old.ndjson"
    out.write_bytes(b"x" * 100_000)
    out.chmod(0o644)
    result = export(db, out)
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600
    assert out.read_bytes().count(b"\n") == 3  # truncated, not appended to


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_is_refused(db: Path, tmp_path: Path, dangling: bool) -> None:
    target = tmp_path / "elsewhere.txt"
    if not dangling:
        target.write_bytes(b"keep me")
    link = tmp_path / "link.ndjson"
    link.symlink_to(target)
    result = export(db, link)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr.startswith("hookscope: error: "), stderr
    assert stderr.count("\n") == 1
    assert "symbolic link" in stderr
    assert "--follow-symlinks" in stderr
    assert link.is_symlink()
    assert target.exists() is not dangling
    if not dangling:
        assert target.read_bytes() == b"keep me"


def test_follow_symlinks_writes_through_the_link(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.ndjson"
    link = tmp_path / "link.ndjson"
    link.symlink_to(target)
    result = export(db, link, "--follow-symlinks")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert target.read_bytes().count(b"\n") == 3
    assert mode(target) == 0o600
