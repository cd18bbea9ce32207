"""Layer boundaries and start-up cost, checked in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("textual", "reportlab", "docxtpl", "docx", "pypdf", "PIL")


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    import json

    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_loads_no_heavy_library():
    code = (
        "import io, contextlib\n"
        "from paperwork.cli.main import main\n"
        "buf = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        main(['--help'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "assert 'Usage' in buf.getvalue()\n"
    )
    loaded = _modules_after(code)
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]


def test_core_imports_without_ui_or_renderers():
    loaded = _modules_after(
        "import paperwork.services.session, paperwork.letters.compose, paperwork.store.database, paperwork.core.schedule"
    )
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_under_paperwork_imports_textual():
    for path in (ROOT / "paperwork").rglob("*.py"):
        assert "textual" not in _imports(path), path


def test_model_and_rules_use_the_standard_library_only():
    allowed = set(sys.stdlib_module_names) | {"holidays", "dateutil", "paperwork"}
    for name in ("model.py", "deadlines.py", "ladder.py", "schedule.py", "tally.py"):
        extra = _imports(ROOT / "paperwork" / "core" / name) - allowed
        assert not extra, (name, extra)
