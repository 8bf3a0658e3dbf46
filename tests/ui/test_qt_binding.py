"""Guards against a Qt binding that would crash the app under load."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    batch = Signal(list)


def test_signal_emit_keeps_bool_refcounts(qapp: object) -> None:
    # PySide6 6.12.0 drops a reference to True or False on every emit(): on Python 3.11 the
    # app then aborts ("bool_dealloc") after some thousands of captures. The bridge emits
    # per batch, so this must hold for the binding the app runs on.
    emitter = _Emitter()
    emitter.plain.connect(lambda: None)
    emitter.batch.connect(lambda items: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.plain.emit()
        emitter.batch.emit([1])
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert after[0] - before[0] > -50
    assert after[1] - before[1] > -50
