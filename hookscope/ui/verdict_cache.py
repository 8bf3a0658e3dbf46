"""Signature verdicts for table rows: computed once, off the GUI thread, only for rows that
are painted, and cached until the signature settings change."""

from __future__ import annotations

import asyncio
import fnmatch
from typing import ClassVar

from PySide6.QtCore import QObject, QTimer, Signal

from hookscope.core.model import CaptureSummary
from hookscope.core.signature_settings import SignatureSettings
from hookscope.core.store import Store
from hookscope.core.verdicts import UNCHECKED, CaptureVerdict, check_capture
from hookscope.ui.asyncqt import in_thread, spawn

__all__ = ["PENDING", "VerdictCache"]

PENDING = "…"
_BATCH = 200


class VerdictCache(QObject):
    ready: ClassVar[Signal] = Signal(list)  # capture ids whose verdicts just arrived
    reset: ClassVar[Signal] = Signal()  # settings changed: every verdict is stale

    def __init__(
        self, store: Store, settings: SignatureSettings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self._verdicts: dict[int, CaptureVerdict] = {}
        self._checked_paths: dict[str, bool] = {}
        self._pending: set[int] = set()
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._start_batch)
        self._task: asyncio.Task[None] | None = None

    def set_settings(self, settings: SignatureSettings) -> None:
        self.settings = settings
        self._generation += 1
        self._verdicts.clear()
        self._checked_paths.clear()
        self._pending.clear()
        self.reset.emit()

    def _has_setting(self, path: str) -> bool:
        known = self._checked_paths.get(path)
        if known is None:
            known = self._checked_paths[path] = any(
                fnmatch.fnmatchcase(path, s.path) for s in self.settings.settings
            )
        return known

    def symbol(self, row: CaptureSummary) -> str:
        """What the table shows now; unknown verdicts are queued and show as pending."""
        if not self._has_setting(row.path):
            return UNCHECKED
        verdict = self._verdicts.get(row.id)
        if verdict is not None:
            return verdict.symbol
        self._pending.add(row.id)
        if not self._timer.isActive():
            self._timer.start()
        return PENDING

    def summary(self, capture_id: int) -> str:
        verdict = self._verdicts.get(capture_id)
        return verdict.summary if verdict is not None else ""

    def forget(self, ids: set[int]) -> None:
        for capture_id in ids:
            self._verdicts.pop(capture_id, None)

    def _start_batch(self) -> None:
        if self._task is not None and not self._task.done():
            self._timer.start()  # one batch at a time; try again shortly
            return
        ids = sorted(self._pending)[:_BATCH]
        self._pending.difference_update(ids)
        if ids:
            self._task = spawn(self._compute(ids, self._generation), name="verdicts")
        if self._pending:
            self._timer.start()

    async def _compute(self, ids: list[int], generation: int) -> None:
        settings = self.settings
        results = await in_thread(self._check_all, ids, settings)
        if generation != self._generation:
            return  # the settings changed meanwhile: these verdicts are stale
        self._verdicts.update(results)
        self.ready.emit(list(results))

    def _check_all(self, ids: list[int], settings: SignatureSettings) -> dict[int, CaptureVerdict]:
        return {
            capture.id: check_capture(capture, settings)
            for capture in self.store.iter_captures(ids)
            if capture.id is not None
        }
