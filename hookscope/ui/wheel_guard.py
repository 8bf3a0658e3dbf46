"""The mouse wheel scrolls the page under it: spin boxes, combo boxes and sliders take the
wheel only when they have focus. Otherwise a user scrolling a form edits whatever value
passes under the pointer (a failure status of 503 becomes 488)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

__all__ = ["install_wheel_guard"]

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind == QEvent.Type.Polish
            and isinstance(watched, _GUARDED)
            and not isinstance(watched, QScrollBar)
        ):
            # Not WheelFocus: a wheel turn must not give the widget focus, and with it the wheel.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif (
            kind == QEvent.Type.Wheel
            and isinstance(watched, _GUARDED)
            and not isinstance(watched, QScrollBar)  # scroll bars are how areas scroll
        ):
            assert isinstance(watched, QWidget)
            if not watched.hasFocus() and not _is_open_popup(watched):
                assert isinstance(event, QWheelEvent)
                return _scroll_around(watched, event)
        return False


def _scroll_around(widget: QWidget, event: QWheelEvent) -> bool:
    """Give the wheel to the scroll area the widget sits in (handed over explicitly: Qt
    passes only spontaneous wheel events on to parents)."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        event.ignore()  # nothing of ours scrolls: let Qt pass it on as it would
        return True
    viewport = area.viewport()
    position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    handed = QWheelEvent(
        position,
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )
    QApplication.sendEvent(viewport, handed)
    event.accept()
    return True


def _is_open_popup(widget: QWidget) -> bool:
    return isinstance(widget, QComboBox) and widget.view().isVisible()


_guard: _WheelGuard | None = None


def install_wheel_guard(app: QApplication) -> None:
    """Once per application; every widget, present and future, is covered."""
    global _guard
    if _guard is None:
        _guard = _WheelGuard(app)
        app.installEventFilter(_guard)
