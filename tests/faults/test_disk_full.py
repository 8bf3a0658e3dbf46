"""A real full disk (a 2 MB tmpfs) under `hookscope listen`: requests are answered 503 while it
is full, 200 again once space returns, and every capture answered 200 reads back exactly."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.store import Store
from tests.faults.load import post
from tests.helpers import start_listener


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_listen_on_a_full_disk_answers_503_then_recovers_exactly(small_disk: Path) -> None:
    filler = small_disk / "filler"
    filler.write_bytes(os.urandom(1_000_000))
    db = small_disk / "c.db"
    listener = start_listener(db)
    acknowledged: dict[str, bytes] = {}
    statuses: list[int] = []
    try:
        for n in range(40):  # 40 x 150 KB is far more than the 2 MB disk holds
            # Bodies much larger than what a commit adds to the WAL: the disk most likely
            # fills in the middle of a body, which the disk then holds a part of.
            body = os.urandom(150_000 + n)
            status = post(listener.port, f"/fill/{n}", body, timeout=10)
            statuses.append(status)
            if status == 200:
                acknowledged[f"/fill/{n}"] = body
            if statuses.count(503) >= 3:
                break
        assert set(statuses) == {200, 503}, statuses
        assert statuses[-3:] == [503, 503, 503]

        filler.unlink()  # space returns
        for n in range(10):
            body = os.urandom(20_000 + n)
            assert post(listener.port, f"/after/{n}", body, timeout=10) == 200
            acknowledged[f"/after/{n}"] = body
    finally:
        listener.stop()
    with Store.open(db) as store:
        stored = {c.target: c.body for c in store.iter_captures()}
    assert stored.keys() == acknowledged.keys()
    wrong = [target for target, body in acknowledged.items() if stored[target] != body]
    assert not wrong, f"acknowledged, then read back wrong: {wrong}"
    assert listener.proc.stderr is not None
    stderr = listener.proc.stderr.read().decode()
    assert "Traceback" not in stderr
    assert "No space left" in stderr or "full" in stderr
