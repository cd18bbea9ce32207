"""Layer boundaries and start-up cost, checked in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

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


# ---------------------------------------------------------------------------
# What the everyday paths load (issue #17): each list below is what is allowed.
# A module that creeps onto one of these paths must be added here on purpose.

# Third-party packages (top-level names) each path may import.
ALLOWED_PACKAGES = {
    # rendering runs the letter checker, whose reply-by check counts business days
    "letter render": {"click", "reportlab", "PIL", "dateutil", "six", "holidays", "platformdirs"},
    # platformdirs: where the config file and logs live (a few small modules)
    "letter show": {"click", "platformdirs"},
    "case show": {"click", "dateutil", "six", "holidays", "platformdirs"},
    "due": {"click", "dateutil", "six", "holidays", "platformdirs"},
}
# Never on these paths: the schema library (the store is read without it), the HTTP
# stack (xml.sax.saxutils pulls it in), templates, the other renderers, the app.
NEVER = (
    "marshmallow",
    "urllib.request",
    "http.client",
    "xml.sax",
    "jinja2",
    "docxtpl",
    "docx",
    "pypdf",
    "textual",
    "babel.numbers",
)
# The command-line modules each path may import (the others hold other commands).
ALLOWED_CLI = {
    "letter render": {"letters"},
    "letter show": {"letters"},
    "case show": {"cases"},
    "due": {"due"},
}


def _stored_letter(pw) -> int:
    from datetime import date

    from paperwork.core.schema import load_case_file
    from paperwork.services.cases import new_case
    from paperwork.services.letters import draft_letter, mark_sent

    case_id = new_case(
        pw, load_case_file(ROOT / "paperwork" / "sample" / "sample_case.json"), date(2026, 11, 2)
    )
    letter = draft_letter(pw, case_id, "complaint", date(2026, 11, 2))
    assert letter.id is not None
    mark_sent(pw, letter.id, date(2026, 11, 3), "certified")
    return letter.id


def _run_and_list(home: Path, args: list[str]) -> set[str]:
    code = (
        "import sys, json\n"
        "from paperwork.cli.main import main\n"
        "try:\n"
        f"    main({['--home', str(home), *args]!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def everyday_paths(tmp_path_factory) -> dict[str, set[str]]:
    from paperwork.services.session import Paperwork

    home = tmp_path_factory.mktemp("paths") / "home"
    pw = Paperwork(home)
    letter_id = _stored_letter(pw)
    pw.close()
    out = home.parent / "out"
    return {
        "letter render": _run_and_list(
            home, ["letter", "render", str(letter_id), "--out", str(out), "--format", "pdf"]
        ),
        "letter show": _run_and_list(home, ["letter", "show", str(letter_id)]),
        "case show": _run_and_list(home, ["case", "show", "1", "--on", "2026-12-20"]),
        "due": _run_and_list(home, ["due", "--on", "2026-12-20"]),
    }


@pytest.mark.parametrize("path", sorted(ALLOWED_PACKAGES))
def test_everyday_paths_load_only_what_they_need(everyday_paths, path: str):
    loaded = everyday_paths[path]
    stdlib = set(sys.stdlib_module_names)
    packages = {m.split(".")[0] for m in loaded} - stdlib - {"paperwork"}
    packages = {p for p in packages if not p.startswith("_") and p not in {"rl_accel"}}
    assert packages <= ALLOWED_PACKAGES[path], sorted(packages - ALLOWED_PACKAGES[path])
    never = sorted(m for m in loaded for n in NEVER if m == n or m.startswith(n + "."))
    assert not never, never
    cli = {m.split(".")[2] for m in loaded if m.startswith("paperwork.cli.")}
    assert cli - {"main", "support"} <= ALLOWED_CLI[path], sorted(cli)
    parts = {".".join(m.split(".")[:2]) for m in loaded if m.startswith("paperwork.")}
    assert not parts & {"paperwork.aggregate", "paperwork.record", "paperwork.tui"}, parts


def test_the_apps_first_screen_loads_no_command_line_and_no_schema():
    loaded = _modules_after("import paperwork.tui.app, paperwork.tui.cases")
    assert not {"click", "marshmallow", "holidays", "jinja2", "reportlab"} & {
        m.split(".")[0] for m in loaded
    }
    never = [n for n in NEVER if n != "textual"]
    assert not [m for m in loaded for n in never if m == n or m.startswith(n + ".")]
    assert not [m for m in loaded if m.startswith("paperwork.cli")]


def test_each_command_is_registered_by_the_module_the_table_names():
    import click

    from paperwork.cli import main as cli_main

    by_module: dict[str, set[str]] = {}
    for name, module in cli_main.COMMAND_MODULES.items():
        by_module.setdefault(module, set()).add(name)
    for module, names in by_module.items():
        group = click.Group("probe")
        __import__(f"paperwork.cli.{module}", fromlist=["register"]).register(group)
        assert set(group.commands) == names, module
