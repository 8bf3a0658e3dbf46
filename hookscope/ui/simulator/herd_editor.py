"""How many events to release together, over how long, and how much the receiver can take."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

from hookscope.core.retry.herd import MAX_EVENTS

__all__ = ["HerdEditor"]


class HerdEditor(QWidget):
    changed: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events = QSpinBox()
        self.events.setObjectName("herdEvents")
        self.events.setRange(0, MAX_EVENTS)
        self.events.setSingleStep(1000)
        self.events.setGroupSeparatorShown(True)
        self.events.setSpecialValueText("off")
        self.events.setKeyboardTracking(False)
        self.events.setToolTip(
            "Events released together (e.g. a backlog flushed when an outage ends): their "
            "latency and the load their attempts put on the receiver"
        )
        self.release_over = QDoubleSpinBox()
        self.release_over.setRange(0.0, 30 * 86400.0)
        self.release_over.setDecimals(1)
        self.release_over.setSuffix(" s")
        self.release_over.setSpecialValueText("all at once")
        self.release_over.setKeyboardTracking(False)
        self.release_over.setToolTip("Release the events at random over this window")
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 10**7)
        self.capacity.setSingleStep(100)
        self.capacity.setGroupSeparatorShown(True)
        self.capacity.setSpecialValueText("unlimited")
        self.capacity.setSuffix(" /s")
        self.capacity.setKeyboardTracking(False)
        self.capacity.setToolTip(
            "The receiver answers at most this many attempts per second; the rest get 503"
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Events", self.events)
        form.addRow("Release over", self.release_over)
        form.addRow("Capacity", self.capacity)
        for box in (self.events, self.release_over, self.capacity):
            box.valueChanged.connect(lambda _value: self.changed.emit())

    @property
    def event_count(self) -> int:
        return self.events.value()

    @property
    def release_over_s(self) -> float:
        return self.release_over.value()

    @property
    def capacity_per_s(self) -> int | None:
        return self.capacity.value() or None
