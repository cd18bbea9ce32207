"""The command palette: every action of the current screen and of the app.

Built from the bindings themselves, so a new key is a new command for free, and
the palette shows the key the user actually has (after their keymap).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperwork.core.i18n import N_, _

# Words people type that are not in the binding's own description.
EXTRA_WORDS = {
    "agenda": N_("due overdue deadlines reissue"),
    "settings": N_("profile sender address preferences"),
    "toggle_dark": N_("theme light dark"),
    "help": N_("keys about"),
    "undo": N_("revert back mistake"),
    "log_outcome": N_("refund credit won result"),
    "chronology": N_("timeline history pdf"),
    "calendar": N_("ics deadlines"),
    "email": N_("eml mail send"),
    "stats": N_("statistics numbers won"),
    "preview": N_("pages print preview"),
    "delete_record": N_("remove"),
    "open_record": N_("correct change fix"),
}


class PaperworkCommands(Provider):
    """Commands for the app's actions and the current screen's actions."""

    def _commands(self) -> Iterator[tuple[str, str, object]]:
        seen: set[str] = set()
        screen = self.screen
        owners = [(screen, b) for group in screen._bindings.key_to_bindings.values() for b in group]
        owners += [
            (self.app, b) for group in self.app._bindings.key_to_bindings.values() for b in group
        ]
        for node, binding in owners:
            # Paperwork's own keys all have an id; Textual's (copy text, focus next) do not.
            if not isinstance(binding, Binding) or not binding.id or not binding.description:
                continue
            action = binding.action.removeprefix("app.")
            if action in seen or action in ("command_palette", "quit"):
                continue
            seen.add(action)
            name = getattr(screen, "TITLE", None) or ""
            where = "" if node is self.app or not name else f"{name}: "
            title = f"{where}{binding.description}"
            help_text = binding.tooltip or ""
            extra = EXTRA_WORDS.get(action, "")
            if extra and _(extra) != extra:
                extra = f"{_(extra)} {extra}"  # the words in both languages find it
            callback = partial(node.run_action, binding.action)
            yield f"{title}  {extra}".strip() if extra else title, help_text, (title, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for searchable, help_text, (title, callback) in self._commands():
            score = max(matcher.match(title), matcher.match(searchable) * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)

    async def discover(self) -> Hits:
        for _searchable, help_text, (title, callback) in self._commands():
            yield DiscoveryHit(title, callback, text=title, help=help_text)
