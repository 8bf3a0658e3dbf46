"""A body append that fails part-way (a full disk) is truncated back before the error is
raised: the sender hears 503, and every capture after it is stored at the right bytes."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from hookscope.core.receiver import Receiver
from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.faults.load import post


def _partial_writev(real: object) -> object:
    def writev(fd: int, buffers: list[memoryview]) -> int:
        data = b"".join(bytes(b) for b in buffers)
        real(fd, [data[: len(data) // 2]])  # type: ignore[operator]
        raise OSError(errno.ENOSPC, "No space left on device")

    return writev


def test_a_partial_append_is_taken_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path / "c.db") as store:
        first = store.add(make_capture(body=b"a" * 100))
        monkeypatch.setattr(os, "writev", _partial_writev(os.writev))
        with pytest.raises(OSError, match="No space left"):
            store.add(make_capture(body=os.urandom(5000)))
        monkeypatch.undo()
        body = os.urandom(3000)
        stored = store.add(make_capture(body=body))
        assert store.body(first.id or 0) == b"a" * 100
        assert store.body(stored.id or 0) == body
        assert store.count() == 2
    (segment,) = (tmp_path / "c.db-bodies").glob("*.seg")
    assert segment.stat().st_size == 3100


def test_the_receiver_answers_503_while_full_and_recovers_by_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acknowledged: dict[str, bytes] = {}
    with Store.open(tmp_path / "c.db") as store:
        receiver = Receiver(store, port=0)
        receiver.start()
        try:
            for n in range(3):
                body = os.urandom(2000)
                assert post(receiver.port, f"/before/{n}", body, timeout=5) == 200
                acknowledged[f"/before/{n}"] = body
            monkeypatch.setattr(os, "writev", _partial_writev(os.writev))
            for n in range(3):
                assert post(receiver.port, f"/full/{n}", os.urandom(4000), timeout=5) == 503
            monkeypatch.undo()
            for n in range(5):
                body = os.urandom(1000 + n)
                assert post(receiver.port, f"/after/{n}", body, timeout=5) == 200
                acknowledged[f"/after/{n}"] = body
        finally:
            receiver.stop()
        stored = {c.target: c.body for c in store.iter_captures()}
    assert stored == acknowledged
