from __future__ import annotations

import gc
from typing import Any

from hookscope.ui.gc_guard import GuiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collects_on_the_gui_thread_and_restores_the_collector(qapp: Any) -> None:
    gc.enable()
    collector = GuiThreadCollector(interval_ms=10_000)
    try:
        assert not gc.isenabled()  # nothing collects behind the GUI thread's back
        for _ in range(5000):
            _Cycle()  # cyclic garbage, left for the collector
        assert gc.get_count()[0] > gc.get_threshold()[0]
        collector.check()
        assert gc.get_count()[0] < gc.get_threshold()[0]
    finally:
        collector.stop()
    assert gc.isenabled()
