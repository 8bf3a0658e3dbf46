"""Syntax colours for pretty JSON text."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

__all__ = ["JsonHighlighter"]

_TOKENS = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)


def _format(color: str, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(700)
    return fmt


class JsonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, dark: bool = False) -> None:
        super().__init__(document)
        palette = (
            {"key": "#7cb7ff", "string": "#9bd68a", "number": "#f0b46b", "literal": "#d69be0"}
            if dark
            else {"key": "#1f5fa8", "string": "#2f7d32", "number": "#b25d00", "literal": "#8e3aa8"}
        )
        self._formats = {name: _format(color, name == "key") for name, color in palette.items()}

    def highlightBlock(self, text: str) -> None:
        if len(text) > 4000:  # a single huge line: colouring it would stall the view
            return
        for match in _TOKENS.finditer(text):
            kind = match.lastgroup
            if kind is not None:
                self.setFormat(match.start(), match.end() - match.start(), self._formats[kind])
