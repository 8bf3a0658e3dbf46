"""The header bar: counts that do not jump, and listening shown as a state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from hookscope.core.view import PendingDeletes
from hookscope.ui.undo_delete import UndoDelete
from hookscope.ui.widgets.count_label import CountLabel
from hookscope.ui.widgets.header_bar import HeaderBar

TNUM = QFont.Tag("tnum")


def bar(qtbot: Any) -> HeaderBar:
    made = HeaderBar()
    qtbot.addWidget(made)
    made.show()
    return made


def test_counts_use_tabular_digits_right_aligned_and_never_shrink(qtbot: Any) -> None:
    header = bar(qtbot)
    for label in (header.count, header.rate):
        assert isinstance(label, CountLabel)
        assert label.font().featureValue(TNUM) == 1  # every digit as wide as the others
        assert label.alignment() & Qt.AlignmentFlag.AlignRight
    header.show_counts(9, 9, 0.0)
    narrow = header.count.minimumWidth()
    header.show_counts(12_345, 12_345, 123.4)
    wide = header.count.minimumWidth()
    assert wide > narrow
    assert header.count.minimumWidth() >= header.count.fontMetrics().horizontalAdvance(
        "12,345 captures"
    )
    header.show_counts(10, 10, 0.0)  # fewer digits: the label keeps its width, nothing moves
    assert header.count.minimumWidth() == wide


def test_the_status_bar_count_does_not_jump_either(qtbot: Any) -> None:
    held = PendingDeletes(lambda ids: None, schedule=lambda _s, _f: lambda: None)
    undo = UndoDelete(held, held.undo)
    qtbot.addWidget(undo)
    assert isinstance(undo.label, CountLabel)


def test_listening_reads_as_a_state_with_a_way_to_change_the_port(qtbot: Any) -> None:
    header = bar(qtbot)
    header.show_listening("http://127.0.0.1:9480", 9480)
    assert header.listening.isVisible()
    assert header.listening.text() == "● Listening on :9480"
    assert not header.listen.isVisible()  # no "Listen" button to press while listening
    assert not header.port.isVisible()
    header.change_port.trigger()
    assert header.port.isVisible()
    assert header.listen.isVisible()
    requested: list[int] = []
    header.listen_requested.connect(requested.append)
    header.port.setValue(9481)
    header.listen.click()
    assert requested == [9481]
    header.show_listening("http://127.0.0.1:9481", 9481)
    assert header.listening.text() == "● Listening on :9481"
    assert not header.port.isVisible()


def test_a_failed_port_offers_the_listen_action(qtbot: Any) -> None:
    header = bar(qtbot)
    header.show_error("port 9480 is in use — pick another and press Listen", 9481)
    assert not header.listening.isVisible()
    assert header.listen.isVisible()
    assert header.port.value() == 9481
    header.show_error("port 9481 is in use — still listening on http://x:9480", None,
                      "http://127.0.0.1:9480")  # fmt: skip
    assert header.listening.isVisible()
    assert header.listen.isVisible()
