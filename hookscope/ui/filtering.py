"""The filter bar's query applied to the CaptureView, its errors shown inline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hookscope.ui.plurals import plural

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["Filtering"]


class Filtering:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.bar = window.filter_bar
        self.bar.query_changed.connect(self.set_text)
        self.bar.help_requested.connect(self.show_help)
        window.live.filtering.connect(lambda: window.statusBar().showMessage("filtering…"))
        window.live.filtered.connect(self._done)

    def set_text(self, text: str) -> None:
        from hookscope.core.filters import FilterError, compile_filter

        self.w.settings.setValue("filter", text)
        try:
            compiled = compile_filter(text, signatures=self.w.verdicts.settings)
        except FilterError as exc:
            self.bar.show_error(str(exc), exc.position, exc.length)
            return
        self.bar.show_error("")
        self.w.live.set_filter(compiled if text.strip() else None)
        self.w.update_counts()

    def signatures_changed(self) -> None:
        """New secrets, new verdicts: a sig: filter is checked again."""
        text = self.bar.edit.text()
        if "sig:" in text.lower():
            self.set_text(text)

    def _done(self, matches: int) -> None:
        shown = self.w.detail.capture
        if shown is not None and not self.w.live.view.is_shown(shown.id or 0):
            self.w.detail.show_nothing()  # no details of a capture not listed
        self.w.statusBar().showMessage(plural(matches, "match"), 3000)
        self.w.update_counts()

    def show_query(self, query: str) -> None:
        """Filter the table by `query` at once (e.g. every delivery of one event)."""
        self.bar.edit.setText(query)
        self.set_text(query)

    def focus(self) -> None:
        self.bar.edit.setFocus()
        self.bar.edit.selectAll()

    def show_help(self) -> None:
        self.w.acts.help_pages.show_page("filter")
