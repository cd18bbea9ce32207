"""A text area that never sends a control character to the terminal (see safe_widgets)."""

from __future__ import annotations

from paperwork.tui.safe_widgets import mark_controls, ran_own_key
from rich.text import Text
from textual import events
from textual.widgets import TextArea


class SafeTextArea(TextArea):
    """A TextArea that draws control characters (tabs aside) as visible symbols and
    runs its editing keys in the order they were typed."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        mark_controls(line, keep="\t")
        return line

    async def _on_key(self, event: events.Key) -> None:
        if not await ran_own_key(self, event):
            await super()._on_key(event)
