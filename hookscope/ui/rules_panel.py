"""Fault rules in the app: make the receiver fail on purpose, to see how a sender copes.

The rules apply to the running receiver the moment they are applied, and are saved to the
same file format `hookscope listen --rules FILE` reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hookscope.core.errors import HookscopeError
from hookscope.core.paths import config_dir
from hookscope.core.rules import Action, Rule, RuleError, RuleSet, Window, load_rules, save_rules
from hookscope.ui.plurals import plural

__all__ = ["RulesPanel", "default_rules_path", "load_saved_rules"]


def default_rules_path() -> Path:
    return config_dir() / "rules.json"


def load_saved_rules() -> tuple[tuple[Rule, ...], str]:
    """The rules saved last time, and a message if the file could not be used."""
    path = default_rules_path()
    if not path.exists():
        return (), ""
    try:
        return load_rules(path), ""
    except HookscopeError as exc:
        return (), f"fault rules ignored: {exc}"


def describe(rule: Rule) -> str:
    methods = ",".join(rule.methods) or "any"
    if rule.action is Action.HOLD:
        what = f"hold {rule.hold_s:g} s, then close"
    elif rule.action is Action.RESET:
        what = "reset the connection" + (f" after {rule.delay_s:g} s" if rule.delay_s else "")
    else:
        what = f"answer {rule.status}" + (f" after {rule.delay_s:g} s" if rule.delay_s else "")
    limits = []
    if rule.first is not None:
        limits.append(f"first {rule.first}")
    if rule.window is not None:
        until = "on" if rule.window.until_s is None else f"{rule.window.until_s:g} s"
        limits.append(f"from {rule.window.from_s:g} s to {until}")
    limit = f" ({', '.join(limits)})" if limits else ""
    return f"{rule.name}: {methods} {rule.path} → {what}{limit}"


class RulesPanel(QWidget):
    applied: ClassVar[Signal] = Signal(str)
    live_changed: ClassVar[Signal] = Signal(int)  # how many rules now answer

    def __init__(
        self, rules: RuleSet, path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ruleset = rules
        self.path = path or default_rules_path()
        # The live rules, else the saved ones (off until applied: see hookscope.ui.app).
        self.rules: list[Rule] = list(rules.rules) or _saved(self.path)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Make the receiver fail on purpose. The first enabled rule whose path (and method) "
            "matches answers; requests no rule catches get the normal answer. Captures record "
            f"the rule that answered. Saved to {self.path} — the format "
            "<code>hookscope listen --rules FILE</code> reads."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("rulesList")
        self.list.currentRowChanged.connect(self._show_rule)
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        for label, slot in (
            ("Add", self.add_rule),
            ("Remove", self.remove_rule),
            ("Up", lambda: self.move_rule(-1)),
            ("Down", lambda: self.move_rule(1)),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        splitter.addWidget(left)

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.enabled = QCheckBox("enabled")
        self.name = QLineEdit()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("/hooks/*  (glob on the decoded path; * spans /)")
        self.methods = QLineEdit()
        self.methods.setPlaceholderText("any method, or e.g. POST PUT")
        self.action = QComboBox()
        for action, label in (
            (Action.RESPOND, "answer"),
            (Action.HOLD, "hold, then close"),
            (Action.RESET, "reset the connection"),
        ):
            self.action.addItem(label, action.value)  # Qt hands plain strings back
        self.status = QSpinBox()
        self.status.setRange(200, 599)
        self.delay = _seconds()
        self.hold = _seconds()
        self.first = QSpinBox()
        self.first.setRange(0, 1_000_000)
        self.first.setSpecialValueText("every request")
        self.window_from = _seconds()
        self.window_until = _seconds()
        self.window_until.setSpecialValueText("no end")
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("Retry-After: 30\nContent-Type: application/json")
        self.headers.setMaximumHeight(70)
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText('{"error": "try again later"}')
        self.body.setMaximumHeight(90)
        rows: list[tuple[str, QWidget]] = [
            ("", self.enabled),
            ("Name", self.name),
            ("Path", self.path_edit),
            ("Methods", self.methods),
            ("Action", self.action),
            ("Status", self.status),
            ("Delay", self.delay),
            ("Hold for", self.hold),
            ("Only the first", self.first),
            ("Only from", self.window_from),
            ("until", self.window_until),
            ("Headers", self.headers),
            ("Body", self.body),
        ]
        for label, widget in rows:
            form.addRow(label, widget)
        self._form_widgets = [widget for _, widget in rows]
        self.error = QLabel("")
        self.error.setObjectName("ruleError")
        self.error.setStyleSheet("color: #d0443a;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        self.pending = QLabel(
            "Not applied: the receiver answers by the rules it had until you apply these."
        )
        self.pending.setObjectName("rulesPending")
        self.pending.setStyleSheet("color: #b25d00; font-weight: bold;")
        self.pending.setWordWrap(True)
        self.pending.hide()
        form.addRow(self.pending)
        actions = QHBoxLayout()
        self.apply_button = QPushButton("Apply and save")
        self.apply_button.clicked.connect(self.apply)
        self.off_button = QPushButton("Turn all off")
        self.off_button.setToolTip("Stop every rule answering now (the saved file is kept)")
        self.off_button.clicked.connect(self.turn_off)
        reset = QPushButton("Reset counters")
        reset.setToolTip("Start 'first N' counts and time windows over")
        reset.clicked.connect(self.reset_counters)
        load = QPushButton("Load file…")
        load.clicked.connect(self._choose_file)
        for button in (self.apply_button, self.off_button, reset, load):
            actions.addWidget(button)
        actions.addStretch(1)
        form.addRow(actions)
        splitter.addWidget(form_widget)
        splitter.setSizes([480, 620])
        self.action.currentIndexChanged.connect(self._action_changed)
        self._current = -1
        self._showing = False  # the form is being filled, not edited
        for widget in self._form_widgets:
            for signal in ("textChanged", "valueChanged", "toggled", "currentIndexChanged"):
                if hasattr(widget, signal):
                    getattr(widget, signal).connect(self._edited)
        self._hits = QTimer(self)  # how often each rule has answered, kept fresh
        self._hits.setInterval(1000)
        self._hits.timeout.connect(self._refresh_list)
        self._hits.start()
        self._refresh_list()
        if self.rules:
            self.list.setCurrentRow(0)
        else:
            self._show_rule(-1)

    # -- list -----------------------------------------------------------------------------

    def active_count(self) -> int:
        """How many rules answer now (applied and enabled)."""
        return sum(rule.enabled for rule in self.ruleset.rules)

    def _unapplied(self) -> list[bool]:
        """Per rule in the list: True if the receiver does not answer by it as shown."""
        live = self.ruleset.rules
        marks = [rule not in live for rule in self.rules]
        row = self._current
        if 0 <= row < len(self.rules) and not self._showing:
            try:
                marks[row] = marks[row] or self.rule_from_form() != self.rules[row]
            except RuleError:
                marks[row] = True
        return marks

    def _edited(self, *_args: object) -> None:
        if not self._showing:
            self._refresh_list()

    def _refresh_list(self) -> None:
        answered = self.ruleset.answered()
        current = self.list.currentRow()
        unapplied = self._unapplied()
        self.list.blockSignals(True)
        self.list.clear()
        for rule, pending in zip(self.rules, unapplied, strict=True):
            hits = answered.get(rule.name, 0)
            text = describe(rule) + (f"   [{hits} answered]" if hits else "")
            item = QListWidgetItem(text + ("   — not applied" if pending else ""))
            if not rule.enabled:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
        self.list.setCurrentRow(min(current, len(self.rules) - 1))
        self.list.blockSignals(False)
        dropped = len(self.ruleset.rules) != len(self.rules)  # e.g. a rule removed
        self.pending.setVisible(any(unapplied) or dropped)

    def add_rule(self) -> None:
        self._store_current()
        taken = {rule.name for rule in self.rules}
        n = len(self.rules) + 1
        while f"rule {n}" in taken:
            n += 1
        self.rules.append(Rule(f"rule {n}", path="/*", status=503, first=2))
        self._refresh_list()
        self.list.setCurrentRow(len(self.rules) - 1)

    def remove_rule(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.rules):
            del self.rules[row]
            self._current = -1
            self._refresh_list()
            self._show_rule(self.list.currentRow())

    def move_rule(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if self._store_current() and 0 <= row < len(self.rules) and 0 <= target < len(self.rules):
            self.rules[row], self.rules[target] = self.rules[target], self.rules[row]
            self._current = target
            self._refresh_list()
            self.list.setCurrentRow(target)

    # -- form -----------------------------------------------------------------------------

    def _show_rule(self, row: int) -> None:
        if self._current != row:
            self._store_current()
        self._current = row
        has = 0 <= row < len(self.rules)
        for widget in self._form_widgets:
            widget.setEnabled(has)
        if not has:
            return
        rule = self.rules[row]
        self._showing = True
        self.enabled.setChecked(rule.enabled)
        self.name.setText(rule.name)
        self.path_edit.setText(rule.path)
        self.methods.setText(" ".join(rule.methods))
        self.action.setCurrentIndex(self.action.findData(rule.action.value))
        self.status.setValue(rule.status)
        self.delay.setValue(rule.delay_s)
        self.hold.setValue(rule.hold_s)
        self.first.setValue(rule.first or 0)
        self.window_from.setValue(rule.window.from_s if rule.window else 0)
        until = rule.window.until_s if rule.window else None
        self.window_until.setValue(until or 0)
        self.headers.setPlainText("\n".join(f"{n}: {v}" for n, v in rule.headers))
        self.body.setPlainText(rule.body.decode("utf-8", "replace"))
        self._action_changed()
        self.error.setText("")
        self._showing = False

    def _action_changed(self) -> None:
        action = Action(self.action.currentData())
        self.status.setEnabled(action is Action.RESPOND)
        self.headers.setEnabled(action is Action.RESPOND)
        self.body.setEnabled(action is Action.RESPOND)
        self.hold.setEnabled(action is Action.HOLD)
        self.delay.setEnabled(action is not Action.HOLD)

    def rule_from_form(self) -> Rule:
        """The rule as edited; RuleError names the field that is wrong."""
        headers = []
        for number, line in enumerate(self.headers.toPlainText().splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            if not sep or not name.strip():
                raise RuleError("headers", f"line {number} is not 'Name: value'")
            headers.append((name.strip(), value.strip()))
        window = None
        if self.window_from.value() or self.window_until.value():
            window = Window(self.window_from.value(), self.window_until.value() or None)
        return Rule(
            name=self.name.text().strip(),
            path=self.path_edit.text().strip() or "*",
            methods=tuple(self.methods.text().upper().split()),
            action=Action(self.action.currentData()),
            status=self.status.value(),
            headers=tuple(headers),
            body=self.body.toPlainText().encode("utf-8"),
            delay_s=self.delay.value(),
            hold_s=self.hold.value(),
            first=self.first.value() or None,
            window=window,
            enabled=self.enabled.isChecked(),
        )

    def _store_current(self) -> bool:
        row = self._current
        if not 0 <= row < len(self.rules):
            return True
        try:
            rule = self.rule_from_form()
        except RuleError as exc:
            self.error.setText(f"{exc.field}: {exc.message}")
            return False
        if any(r.name == rule.name for i, r in enumerate(self.rules) if i != row):
            self.error.setText(f"name: another rule is called {rule.name!r}")
            return False
        self.rules[row] = rule
        self.error.setText("")
        return True

    # -- apply ----------------------------------------------------------------------------

    def apply(self) -> bool:
        if not self._store_current():
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save_rules(self.path, self.rules)
        except OSError as exc:
            self.error.setText(f"cannot save {self.path}: {exc.strerror}")
            return False
        self.ruleset.replace(self.rules)
        self._refresh_list()
        count = self.active_count()
        self.applied.emit(
            f"{plural(count, 'fault rule')} now {'answers' if count == 1 else 'answer'}"
        )
        self.live_changed.emit(count)
        return True

    def turn_off(self) -> None:
        """No rule answers from now on; the list and the saved file stay for later."""
        self.ruleset.replace(())
        self._refresh_list()
        self.applied.emit("fault rules off: every request gets the normal answer")
        self.live_changed.emit(0)

    def reset_counters(self) -> None:
        self.ruleset.reset()
        self._refresh_list()

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Load fault rules", str(self.path.parent), "Rules (*.json)")
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        dialog.open()

    def load_file(self, path: Path) -> bool:
        try:
            loaded = load_rules(path)
        except HookscopeError as exc:
            self.error.setText(str(exc))
            return False
        self.rules = list(loaded)
        self._current = -1
        self._refresh_list()
        self.list.setCurrentRow(0 if self.rules else -1)
        return True


def _saved(path: Path) -> list[Rule]:
    try:
        return list(load_rules(path)) if path.exists() else []
    except HookscopeError:  # app.py reports a broken file
        return []


def _seconds() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 86_400)
    box.setDecimals(2)
    box.setSuffix(" s")
    return box
