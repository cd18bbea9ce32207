"""No user-visible message of the command line or the TUI bypasses gettext.

A message is the text argument of click.echo, UserError/NotFound,
ValidationError, a widget's notify(), and the like. It must be a call to _()
(or ngettext), or built from one; a bare string or f-string with words in it
would reach the user untranslated.

The terminal app (tui/) is held to more: the text of its widgets (Label,
Static, Button, Checkbox, Input), table column headers, the description and
tooltip of its key bindings, and any title=, placeholder=, tooltip=,
description=, sub_title=, label= or prompt= keyword, and what is assigned to
a widget's .label, .sub_title or .tooltip, must be translated too; and the text
given to _() must be a plain literal (an f-string would never match a catalog
entry: use named placeholders and .format()).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = [
    *sorted((ROOT / "paperwork").rglob("*.py")),
    *sorted((ROOT / "tui").glob("*.py")),
]
MESSAGE_CALLS = {
    "echo",
    "secho",
    "UserError",
    "NotFound",
    "ValidationError",
    "fail",
    "notify",
    "BadParameter",
    "UsageError",
}
# Modules that speak to the program, not the person: logs, JSON, file formats.
EXEMPT = {"model.py", "__main__.py", "resources.py", "deadlines.py", "ladder.py"}

# In tui/: calls whose first positional argument is text on screen.
TUI_TEXT_CALLS = {"Label", "Static", "Button", "Checkbox", "Input", "add_column", "say", "update"}
# In tui/: keywords that are text on screen, whatever the call.
TUI_TEXT_KEYWORDS = {
    "title",
    "placeholder",
    "tooltip",
    "description",
    "sub_title",
    "label",
    "prompt",
}
# In tui/: widget attributes that are text on screen (``button.label = ...``).
TUI_TEXT_ATTRIBUTES = {"label", "sub_title", "tooltip"}
GETTEXT_CALLS = {"_", "N_", "ngettext"}
# Binding(key, action, description, ...): the description is the third argument.
BINDING_TEXT_POSITION = 2


def _has_words(node: ast.AST) -> bool:
    """A literal (or f-string part) containing letters a person would read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    return False


def _is_tui(path: Path) -> bool:
    return (ROOT / "tui") in path.parents


def _tui_texts(node: ast.Call, name: str) -> list[ast.AST]:
    """The arguments of a tui/ call that a person reads on screen."""
    texts = [kw.value for kw in node.keywords if kw.arg in TUI_TEXT_KEYWORDS]
    if name in TUI_TEXT_CALLS and node.args:
        texts.append(node.args[0])
    if name == "Binding" and len(node.args) > BINDING_TEXT_POSITION:
        texts.append(node.args[BINDING_TEXT_POSITION])
    if name == "report" and len(node.args) > 1:  # app.report(exc, title)
        texts.append(node.args[1])
    return texts


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tui = _is_tui(path)
    found = []
    where = path.relative_to(ROOT)
    for node in ast.walk(tree):
        if (
            tui
            and isinstance(node, ast.Assign)
            and _has_words(node.value)
            and any(
                isinstance(target, ast.Attribute) and target.attr in TUI_TEXT_ATTRIBUTES
                for target in node.targets
            )
        ):
            found.append(f"{where}:{node.lineno}: untranslated text on screen")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in MESSAGE_CALLS and node.args and _has_words(node.args[0]):
            found.append(f"{where}:{node.lineno}: untranslated message")
        elif tui and any(_has_words(text) for text in _tui_texts(node, name)):
            found.append(f"{where}:{node.lineno}: untranslated text on screen")
        elif tui and name in GETTEXT_CALLS and any(isinstance(a, ast.JoinedStr) for a in node.args):
            found.append(f"{where}:{node.lineno}: f-string inside {name}(); use .format()")
    return found


@pytest.mark.parametrize(
    "path", [p for p in CHECKED if p.name not in EXEMPT], ids=lambda p: str(p.relative_to(ROOT))
)
def test_messages_go_through_gettext(path):
    assert _violations(path) == []
