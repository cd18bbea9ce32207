"""No user-visible message of the command line or the TUI bypasses gettext.

A message is the text argument of click.echo, UserError/NotFound,
ValidationError, a widget's notify(), and the like. It must be a call to _()
(or ngettext), or built from one; a bare string or f-string with words in it
would reach the user untranslated.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = [
    *sorted((ROOT / "paperwork").glob("*.py")),
    *sorted((ROOT / "paperwork" / "commands").glob("*.py")),
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


def _has_words(node: ast.AST) -> bool:
    """A literal (or f-string part) containing letters a person would read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    return False


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in MESSAGE_CALLS or not node.args:
            continue
        if _has_words(node.args[0]):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: untranslated message")
    return found


@pytest.mark.parametrize(
    "path", [p for p in CHECKED if p.name not in EXEMPT], ids=lambda p: str(p.relative_to(ROOT))
)
def test_messages_go_through_gettext(path):
    assert _violations(path) == []
