"""Where a window goes: on a screen, whole.

The first window asks for 1500x900, which overflows a 1400x900 laptop screen; geometry saved on
a larger or a since-unplugged monitor can overflow or miss the screen the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

__all__ = ["fit_on_screen", "fit_rect"]

SHRINK = 0.9  # a window made smaller leaves room for its title bar and frame


def fit_rect(window: QRect, available: QRect) -> QRect:
    """`window` unchanged if it lies within `available`; else shrunk to fit, and centred."""
    if available.contains(window):
        return QRect(window)
    size = window.size()
    if size.width() > available.width() or size.height() > available.height():
        size = size.boundedTo(
            QSize(int(available.width() * SHRINK), int(available.height() * SHRINK))
        )
    fitted = QRect(window.topLeft(), size)
    fitted.moveCenter(available.center())
    return fitted


def fit_on_screen(window: QWidget) -> None:
    """Before the first show: keep the window, frame included, on the screen it opens on."""
    available = window.screen().availableGeometry()  # the primary screen before the first show
    frame = window.frameGeometry()
    fitted = fit_rect(frame, available)
    if fitted != frame:
        # The frame adds its margins around the client area; keep them out of the new size.
        extra = frame.size() - window.geometry().size()
        window.resize(fitted.size() - extra)
        window.move(fitted.topLeft())
