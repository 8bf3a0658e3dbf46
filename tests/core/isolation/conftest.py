"""A session whose receiver runs in a child process, listening on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.isolation import IsolatedSession
from hookscope.core.store import Store


@pytest.fixture
def session(tmp_path: Path) -> Iterator[IsolatedSession]:
    running = IsolatedSession(Store.open(tmp_path / "c.db"), port=0)
    assert running.start_receiver(0), running.error
    yield running
    running.close()
