"""Choosing a retry policy: a provider preset, or a formula with its parameters, plus jitter,
timeout and the seed that makes jitter reproducible ("re-roll" draws a new one).

The rules about which parameter goes with which policy, and the defaults, are core's
(`catalog.build_policy`); this widget only enables the fields that apply and shows core's
message when a combination is refused."""

from __future__ import annotations

import random
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from hookscope.core.errors import HookscopeError
from hookscope.core.retry import PRESETS, Jitter, JitterKind, Policy
from hookscope.core.retry.catalog import (
    DEFAULT_ATTEMPTS,
    DEFAULT_BASE_S,
    DEFAULT_FACTOR,
    DEFAULT_MAX_DELAY_S,
    FORMULAS,
    build_policy,
)
from hookscope.core.retry.policy import MAX_ATTEMPTS
from hookscope.ui.simulator.durations import short_duration
from hookscope.ui.simulator.style import ERROR_COLOR

__all__ = ["PolicyEditor"]

_JITTERS = (JitterKind.NONE, JitterKind.FULL, JitterKind.EQUAL, JitterKind.DECORRELATED)
_MAX_SECONDS = 10 * 365 * 86400.0
_SEED_LIMIT = 2**31 - 1  # QSpinBox holds a C int


def _seconds_box(value: float, minimum: float = 0.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(minimum, _MAX_SECONDS)
    box.setDecimals(3)
    box.setSuffix(" s")
    box.setValue(value)
    box.setKeyboardTracking(False)  # recompute when a number is complete, not per keystroke
    box.setAccelerated(True)
    return box


class PolicyEditor(QWidget):
    """`changed` fires on every edit; `policy()` is then the new policy, or None with `error`."""

    changed: ClassVar[Signal] = Signal()

    def __init__(self, name: str = "svix", seed: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = ""
        self.kind = QComboBox()
        self.kind.setObjectName("policyKind")
        for key, preset in PRESETS.items():
            label = key if preset.exact else f"{key} (approximation)"
            self.kind.addItem(label, key)
        self.kind.insertSeparator(self.kind.count())
        for formula in FORMULAS:
            self.kind.addItem(f"{formula} (custom)", formula)
        self.kind.setMaxVisibleItems(self.kind.count())
        self.attempts = QSpinBox()
        self.attempts.setRange(1, MAX_ATTEMPTS)
        self.attempts.setValue(DEFAULT_ATTEMPTS)
        self.attempts.setKeyboardTracking(False)
        self.attempts.setToolTip("Attempts in all, the first one included")
        self.base = _seconds_box(DEFAULT_BASE_S)
        self.base.setToolTip("The first retry's wait")
        self.factor = QDoubleSpinBox()
        self.factor.setRange(1.0, 100.0)
        self.factor.setDecimals(2)
        self.factor.setSingleStep(0.5)
        self.factor.setValue(DEFAULT_FACTOR)
        self.factor.setKeyboardTracking(False)
        self.factor.setPrefix("x ")
        self.factor.setToolTip("Each wait is the previous one times this")
        self.max_delay = _seconds_box(DEFAULT_MAX_DELAY_S)
        self.max_delay.setToolTip("No wait is longer than this")
        self.jitter = QComboBox()
        for kind in _JITTERS:
            self.jitter.addItem(kind.value, kind.value)  # Qt keeps a StrEnum as a plain str
        self.jitter.setToolTip(
            "full: uniform(0, wait) · equal: wait/2 + uniform(0, wait/2) · "
            "decorrelated: min(cap, uniform(base, previous * 3))"
        )
        self.timeout = _seconds_box(0.0)
        self.timeout.setSpecialValueText("the provider's")
        self.timeout.setToolTip("How long a sender waits for an answer before giving up on it")
        self.seed = QSpinBox()
        self.seed.setRange(0, _SEED_LIMIT)
        self.seed.setValue(seed)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("The same seed draws the same jitter")
        self.reroll = QPushButton("Re-roll jitter")
        self.reroll.setObjectName("rerollJitter")
        self.reroll.setToolTip("Draw a new seed")
        self.info = QLabel()
        self.info.setObjectName("policyInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.hide()

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Policy", self.kind)
        form.addRow("Attempts", self.attempts)
        form.addRow("Base", self.base)
        form.addRow("Factor", self.factor)
        form.addRow("Max delay", self.max_delay)
        form.addRow("Jitter", self.jitter)
        form.addRow("Timeout", self.timeout)
        seed_row = QHBoxLayout()
        seed_row.setContentsMargins(0, 0, 0, 0)
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.reroll)
        form.addRow("Seed", seed_row)
        form.addRow(self.info)
        form.addRow(self.error_label)
        self._form = form

        self.kind.currentIndexChanged.connect(lambda _index: self._on_kind())
        for box in (self.attempts, self.seed, self.base, self.factor, self.max_delay, self.timeout):
            box.valueChanged.connect(lambda _value: self._on_edit())
        self.jitter.currentIndexChanged.connect(lambda _index: self._on_edit())
        self.reroll.clicked.connect(lambda _checked=False: self.reroll_seed())
        self.set_policy_name(name)
        self._on_kind()  # the first entry may already be current: no signal to set the rows

    # -- reading ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return str(self.kind.currentData())

    @property
    def seed_value(self) -> int:
        return self.seed.value()

    def policy(self) -> Policy | None:
        name = self.name
        formula = name in FORMULAS
        try:
            return build_policy(
                name,
                attempts=self.attempts.value() if formula else None,
                base_s=self.base.value() if formula else None,
                factor=self.factor.value() if name == "exponential" else None,
                max_delay_s=self.max_delay.value() if name in ("exponential", "linear") else None,
                jitter=Jitter(JitterKind(self.jitter.currentData())),
                timeout_s=self.timeout.value() or None,
            )
        except HookscopeError as exc:
            self.error = str(exc)
            return None

    # -- writing ---------------------------------------------------------------------------

    def set_policy_name(self, name: str) -> None:
        index = self.kind.findData(name)
        if index < 0:
            raise HookscopeError(f"unknown policy {name!r}")
        self.kind.setCurrentIndex(index)

    def set_formula(
        self,
        name: str,
        attempts: int,
        base_s: float,
        factor: float = DEFAULT_FACTOR,
        max_delay_s: float = DEFAULT_MAX_DELAY_S,
    ) -> None:
        """One edit: a formula policy and its parameters (recomputed once, not per field)."""
        self.blockSignals(True)
        try:
            self.set_policy_name(name)
            self.attempts.setValue(attempts)
            self.base.setValue(base_s)
            self.factor.setValue(factor)
            self.max_delay.setValue(max_delay_s)
        finally:
            self.blockSignals(False)
        self._on_edit()

    def set_jitter(self, kind: JitterKind) -> None:
        self.jitter.setCurrentIndex(self.jitter.findData(kind.value))

    def set_seed(self, seed: int) -> None:
        self.seed.setValue(seed)

    def reroll_seed(self) -> None:
        current = self.seed.value()
        new = current
        while new == current:
            new = random.randrange(_SEED_LIMIT)  # jitter draws, not secrets
        self.seed.setValue(new)

    # -- reacting --------------------------------------------------------------------------

    def _on_kind(self) -> None:
        name = self.name
        for widget, applies in (
            (self.attempts, name in FORMULAS),
            (self.base, name in FORMULAS),
            (self.factor, name == "exponential"),
            (self.max_delay, name in ("exponential", "linear")),
        ):
            widget.setEnabled(applies)
            self._form.setRowVisible(widget, applies)
        self._on_edit()

    def _on_edit(self) -> None:
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        self.error = ""
        policy = self.policy()
        self.error_label.setText(self.error)
        self.error_label.setVisible(bool(self.error))
        self.info.setText("" if policy is None else _describe(policy))


def _describe(policy: Policy) -> str:
    if not policy.delays_s:
        waits = "no retries"
    else:
        shown = [_unbroken(short_duration(d)) for d in policy.delays_s[:10]]
        more = f", … ({len(policy.delays_s) - 10} more)" if len(policy.delays_s) > 10 else ""
        waits = "waits " + ", ".join(shown) + more
    timeout = _unbroken(f"{policy.semantics.timeout_s:g} s")
    parts = [f"{policy.attempts} attempts · {waits} · timeout {timeout}"]
    parts += [f"Note: {note}" for note in policy.notes]
    if policy.source:
        parts.append(f"Source: {policy.source}")
    return "<br>".join(_escape(p) for p in parts)


def _unbroken(duration: str) -> str:
    """`5 min` kept on one line when the description wraps."""
    return duration.replace(" ", "\N{NO-BREAK SPACE}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
