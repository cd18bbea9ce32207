"""Codemod: wrap user-visible message literals in gettext's _().

    python tools/wrap_messages.py FILE...

An f-string message becomes ``_("... {name} ...").format(name=expr)`` so the
translator sees whole sentences with named placeholders. Run the gettext lint
test afterwards; anything this cannot rewrite is listed for a hand edit.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "i18n"))
from test_gettext_lint import MESSAGE_CALLS, _has_words


def _placeholder(expr: ast.AST, used: dict[str, str], source: str) -> str:
    text = ast.get_source_segment(source, expr) or "value"
    if text in used.values():
        return next(k for k, v in used.items() if v == text)
    if isinstance(expr, ast.Name):
        base = expr.id
    elif isinstance(expr, ast.Attribute):
        base = expr.attr
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        base = expr.func.id
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        base = expr.func.attr
    else:
        base = "value"
    base = re.sub(r"\W", "", base).lstrip("_") or "value"
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used[name] = text
    return name


def rewrite(node: ast.AST, source: str) -> str | None:
    if isinstance(node, ast.Constant):
        return f"_({ast.get_source_segment(source, node)})"
    if not isinstance(node, ast.JoinedStr):
        return None
    used: dict[str, str] = {}
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(value.value.replace("{", "{{").replace("}", "}}"))
        elif isinstance(value, ast.FormattedValue):
            name = _placeholder(value.value, used, source)
            conv = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[value.conversion]
            spec = ""
            if value.format_spec is not None:
                spec_parts = [
                    v.value for v in value.format_spec.values if isinstance(v, ast.Constant)
                ]
                if len(spec_parts) != len(value.format_spec.values):
                    return None
                spec = ":" + "".join(spec_parts)
            parts.append("{" + name + conv + spec + "}")
    template = "".join(parts)
    args = ", ".join(f"{k}={v}" for k, v in used.items())
    return f"_({template!r}).format({args})" if used else f"_({template!r})"


def process(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    edits = []
    left = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in MESSAGE_CALLS or not _has_words(node.args[0]):
            continue
        arg = node.args[0]
        new = rewrite(arg, source)
        if new is None:
            left.append(f"{path}:{arg.lineno}")
            continue
        edits.append((arg.lineno, arg.col_offset, arg.end_lineno, arg.end_col_offset, new))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    data = source.encode("utf-8")
    for lineno, col, end_lineno, end_col, new in sorted(edits, reverse=True):
        start = offsets[lineno - 1] + col
        end = offsets[end_lineno - 1] + end_col
        data = data[:start] + new.encode("utf-8") + data[end:]
    path.write_text(data.decode("utf-8"), encoding="utf-8")
    return left


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        for item in process(Path(arg)):
            print("by hand:", item)
