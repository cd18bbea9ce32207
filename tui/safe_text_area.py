"""A text area that never sends a control character to the terminal (see safe_widgets)."""

from __future__ import annotations

from paperwork.tui.safe_widgets import mark_controls
from rich.text import Text
from textual.widgets import TextArea


class SafeTextArea(TextArea):
    """A TextArea that draws control characters (tabs aside) as visible symbols."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        mark_controls(line, keep="\t")
        return line
