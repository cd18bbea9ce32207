"""Text inputs that never send a control character to the terminal.

Textual draws a field's value as it is, so a pasted ESC sequence or a
right-to-left override would reach the terminal raw and could repaint it. These
fields keep the value exactly as typed (the case schema then refuses the
character, naming it) but draw each control character as a visible symbol:
C0 controls as their Unicode "control pictures" (ESC shows as ␛), the rest as
the replacement character. The mapping is one character for one, so the cursor
stays where it was. (The text area lives in safe_text_area.py: the first screen
has no text area, and Textual's takes a while to import.)
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import Input, Static

from paperwork.core.controls import is_hazard, visible_controls

# Shown in reverse so a control character stands out from a real symbol.
_MARK_STYLE = "reverse"


def mark_controls(text: Text, keep: str = "") -> None:
    """Replace control characters in ``text`` in place, highlighting where they were."""
    plain = text.plain
    shown = visible_controls(plain, keep)
    if shown is plain:
        return
    text.plain = shown
    for index, ch in enumerate(plain):
        if is_hazard(ch, keep):
            text.stylize(_MARK_STYLE, index, index + 1)


class ControlPictures(Highlighter):
    """A rich highlighter that draws control characters as symbols."""

    def highlight(self, text: Text) -> None:
        mark_controls(text)


async def ran_own_key(field: Widget, event: events.Key) -> bool:
    """Run a text field's own editing key (Backspace, Delete, the arrows) the moment it
    arrives; False for any other key, left to the field and the screen.

    Textual types a character into a field at once but runs the field's key bindings
    only after the key has travelled up to the app: a Backspace and a digit read
    together (a fast typist, tmux, a burst of keys) put the digit in first and then
    deleted it, so both keystrokes were lost."""
    if event.is_printable:
        return False
    own = field._bindings.key_to_bindings.get(event.key)
    if not own:
        return False
    event.stop()
    event.prevent_default()
    await field.run_action(own[0].action)
    return True


class SafeInput(Input):
    """An Input that draws control characters as visible symbols.

    Focus puts the cursor at the end of what is there, never selects it all: the
    first key typed into a field someone came to correct must not wipe it."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("highlighter", ControlPictures())
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if not await ran_own_key(self, event):
            await super()._on_key(event)


class ErrorLine(Static):
    """The red line under a field, hidden until there is a problem to show.

    Problems can quote what was typed (a date, an amount), so the text is shown
    literally (no markup) with control characters drawn as symbols.
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, classes="field-error", markup=False)
        self.display = False

    def show(self, message: str) -> None:
        self.update(visible_controls(message, keep="\n"))
        self.display = bool(message)

    def clear(self) -> None:
        self.update("")
        self.display = False
