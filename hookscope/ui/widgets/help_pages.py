"""The Help menu's pages (filter language, keyboard shortcuts, about), formatted, in one
window: F1 opens the filter language, the page most often needed while typing a query."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QTextBrowser, QVBoxLayout, QWidget

from hookscope import __version__
from hookscope.core.filters.help import help_sections

__all__ = ["HelpPages", "about_html", "filter_language_html", "install_help", "shortcuts_html"]

# Keys that belong to one widget, so no window action carries them.
CONTEXT_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter / F3", "JSON tree search: next match (while the search field has focus)"),
    ("Shift+Enter / Shift+F3", "JSON tree search: previous match"),
    ("Ctrl+Return", "send (in the composer)"),
)
_STYLE = (
    "<style>h2 { margin-top: 14px; } td { padding: 2px 12px 2px 0; vertical-align: top; }"
    " code { font-family: monospace; }</style>"
)


def _table(rows: Sequence[tuple[str, str]], heads: tuple[str, str]) -> str:
    head = f"<tr><th align='left'>{heads[0]}</th><th align='left'>{heads[1]}</th></tr>"
    body = "".join(
        f"<tr><td><code>{html.escape(left)}</code></td><td>{html.escape(right)}</td></tr>"
        for left, right in rows
    )
    return f"<table cellspacing='0'>{head}{body}</table>"


def filter_language_html() -> str:
    parts = [_STYLE, "<h1>Filter language</h1>"]
    for heading, content in help_sections():
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        if content and isinstance(content[0], tuple):
            parts.append(_table([(str(a), str(b)) for a, b in content], ("write", "finds")))
        else:
            parts.extend(f"<p>{html.escape(str(text))}</p>" for text in content)
    return "".join(parts)


def shortcuts_html(actions: Sequence[QAction]) -> str:
    unique = {
        (action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
         action.text().replace("&", ""))
        for action in actions
        if not action.shortcut().isEmpty()
    }  # fmt: skip
    rows = sorted(unique, key=lambda row: row[1].lower())
    return (
        f"{_STYLE}<h1>Keyboard shortcuts</h1>"
        "<p>Keys act on what has focus: Delete, Ctrl+C and Ctrl+Z touch captures only from the "
        "capture table; in text they edit and copy text.</p>"
        f"<h2>Window</h2>{_table(rows, ('key', 'action'))}"
        f"<h2>In one place</h2>{_table(CONTEXT_KEYS, ('key', 'action'))}"
    )


def about_html() -> str:
    return (
        f"{_STYLE}<h1>hookscope {html.escape(__version__)}</h1>"
        "<p>A desktop inspector for webhooks: receive them on a local URL, see every byte, "
        "check signatures, replay and forward them, and rehearse failures with fault rules.</p>"
        "<p>Captures live in a local SQLite store; nothing leaves your machine unless you "
        "replay, forward or open a public URL.</p>"
    )


class HelpPages(QDialog):
    """One non-modal window showing one page at a time."""

    def __init__(self, actions: Callable[[], Sequence[QAction]], parent: QWidget) -> None:
        super().__init__(parent)
        self._actions = actions
        self.resize(760, 680)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(True)
        QVBoxLayout(self).addWidget(self.browser)
        self.page = ""

    def show_page(self, page: str) -> None:
        titles = {"filter": "Filter language", "keys": "Keyboard shortcuts", "about": "About"}
        if page == "filter":
            self.browser.setHtml(filter_language_html())
        elif page == "keys":
            self.browser.setHtml(shortcuts_html(self._actions()))
        else:
            self.browser.setHtml(about_html())
        self.page = page
        self.setWindowTitle(f"hookscope — {titles[page]}")
        self.show()
        self.raise_()


def install_help(window: QWidget, menu: QMenu) -> HelpPages:
    """The Help menu's entries, on `window` (F1 works everywhere in it)."""
    pages = HelpPages(lambda: window.findChildren(QAction), window)
    entries = (
        ("Filter language", "filter", QKeySequence.StandardKey.HelpContents),
        ("Keyboard shortcuts", "keys", None),
        ("About hookscope", "about", None),
    )
    for text, page, key in entries:
        action = QAction(text, window)
        action.setObjectName(f"help_{page}")
        if key is not None:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False, page=page: pages.show_page(page))
        window.addAction(action)
        menu.addAction(action)
    return pages
