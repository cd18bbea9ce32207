"""Layer boundaries and start-up cost, checked in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import os
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

# Third-party packages (top-level names) each path may import, once the holiday
# tables and the parsed fonts are in the cache folder (after the first run).
ALLOWED_PACKAGES = {
    # rendering runs the letter checker; its reply-by check counts business days from
    # the cached holiday tables, not the holidays package
    "letter render": {"click", "reportlab", "PIL", "platformdirs"},
    # platformdirs: where the config file, logs and cache live (a few small modules)
    "letter show": {"click", "platformdirs"},
    "case show": {"click", "platformdirs"},
    "due": {"click", "platformdirs"},
}
# Never on these paths: the schema library (the store is read without it), the HTTP
# stack (xml.sax.saxutils pulls it in), templates, the other renderers, the app, the
# holidays package and dateutil (0.1 s together; their tables come from the cache),
# importlib.metadata (the e-mail package behind it), importlib.resources.
NEVER = (
    "holidays",
    "dateutil",
    "importlib.metadata",
    "importlib.resources",
    "email",
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
# Never on one path: rendering, sending and checking a stored letter need none of
# drafting's modules (composition, the pressure tally), nor babel (the stored letter
# has its dates and amounts written out; typesetting knows the month names itself).
NEVER_ON = {
    "letter render": (
        "paperwork.letters.compose",
        "paperwork.letters.pool_sentence",
        "paperwork.core.tally",
        "babel",
    ),
    "letter show": ("babel",),
    "case show": ("babel",),
    "due": ("babel",),
}
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


def _run_and_list(home: Path, args: list[str], cache: Path | None = None) -> set[str]:
    env = dict(os.environ)
    if cache is not None:
        env["PAPERWORK_CACHE"] = str(cache)
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
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def everyday_paths(tmp_path_factory) -> dict[str, set[str]]:
    from paperwork.services.session import Paperwork

    home = tmp_path_factory.mktemp("paths") / "home"
    cache = home.parent / "cache"
    pw = Paperwork(home)
    letter_id = _stored_letter(pw)
    pw.close()
    out = home.parent / "out"
    commands = {
        "letter render": ["letter", "render", str(letter_id), "--out", str(out), "--format", "pdf"],
        "letter show": ["letter", "show", str(letter_id)],
        "case show": ["case", "show", "1", "--on", "2026-12-20"],
        "due": ["due", "--on", "2026-12-20"],
    }
    first = {name: _run_and_list(home, args, cache) for name, args in commands.items()}
    assert "holidays" in first["letter render"]  # the first run fills the cache folder
    return {name: _run_and_list(home, args, cache) for name, args in commands.items()}


@pytest.mark.parametrize("path", sorted(ALLOWED_PACKAGES))
def test_everyday_paths_load_only_what_they_need(everyday_paths, path: str):
    loaded = everyday_paths[path]
    stdlib = set(sys.stdlib_module_names)
    packages = {m.split(".")[0] for m in loaded} - stdlib - {"paperwork"}
    packages = {p for p in packages if not p.startswith("_") and p not in {"rl_accel"}}
    assert packages <= ALLOWED_PACKAGES[path], sorted(packages - ALLOWED_PACKAGES[path])
    refused = NEVER + NEVER_ON[path]
    never = sorted(m for m in loaded for n in refused if m == n or m.startswith(n + "."))
    assert not never, never
    cli = {m.split(".")[2] for m in loaded if m.startswith("paperwork.cli.")}
    assert cli - {"main", "support", "collector"} <= ALLOWED_CLI[path], sorted(cli)
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
    # The services thread starts, and the services, the store and the data classes load
    # on it, once the list has painted; the config file's reader only when there is one.
    later = ("paperwork.services", "paperwork.core.model", "paperwork.tui.views", "sqlite3")
    later += ("concurrent.futures.thread",)
    assert not [m for m in loaded for n in later if m == n or m.startswith(n + ".")]
    assert "tomllib" not in loaded


# The app until its first screen (the case list) has painted: the toolkit, the case
# list and what the services thread reads the rows with. Other screens, their dialogs
# (which check input with the schema library), the pool, the text editor and the
# renderers load when they are first opened.
FIRST_PAINT_PACKAGES = {"textual", "rich", "platformdirs", "typing_extensions"}
FIRST_PAINT_MODULES = {
    *(f"paperwork.tui.{m}" for m in ("app", "backend", "base", "cases", "commands")),
    *(f"paperwork.tui.{m}" for m in ("safe_widgets", "themes", "views")),
    *(f"paperwork.core.{m}" for m in ("catalog", "controls", "deadlines", "errors", "i18n")),
    *(f"paperwork.core.{m}" for m in ("ladder", "model", "resources", "schedule", "stored")),
    *(f"paperwork.core.{m}" for m in ("tally", "wording", "cache")),
    *(f"paperwork.services.{m}" for m in ("cases", "describe", "overview", "schedule")),
    "paperwork.services.session",
    *(f"paperwork.store.{m}" for m in ("config", "database", "files", "home")),
    *("paperwork", "paperwork.core", "paperwork.services", "paperwork.store", "paperwork.tui"),
}
FIRST_PAINT_NEVER = (
    "marshmallow",
    "holidays",
    "dateutil",
    "reportlab",
    "PIL",
    "click",
    "jinja2",
    "textual.widgets._text_area",
)

_FIRST_PAINT_PROBE = """
import json, sys
from datetime import date
from pathlib import Path

from paperwork.tui.app import PaperworkApp
from paperwork.tui.cases import CasesScreen


class Probe(PaperworkApp):
    CSS_PATH = str(Path(sys.modules[PaperworkApp.__module__].__file__).parent / "paperwork.tcss")
    armed = False

    def on_mount(self):  # Textual calls PaperworkApp.on_mount after this one
        self.set_interval(0.001, self.check)

    def check(self):
        if not self.armed and isinstance(self.screen, CasesScreen) and self.screen.is_mounted:
            self.armed = True
            self.screen.call_after_refresh(self.done)

    def _warm_up_when_idle(self):
        pass  # the screens loaded after the first paint are not what this test is about

    def done(self):
        print(json.dumps(sorted(sys.modules)))
        self.exit()


Probe(Path(sys.argv[1]), today=date(2026, 11, 26)).run(headless=True, size=(100, 30))
"""


def test_the_app_paints_its_first_screen_with_only_what_the_case_list_needs(tmp_path):
    from paperwork.services.session import Paperwork

    home = tmp_path / "home"
    pw = Paperwork(home)
    _stored_letter(pw)
    pw.close()
    cache = tmp_path / "cache"
    # The first use after installing fills the cache folder (holiday tables); every
    # later start is the one a person waits for, as for the commands above. The list
    # of cases warms it: the app's first paint may come before its own rows are read.
    _run_and_list(home, ["case", "list"], cache)
    env = dict(os.environ, PAPERWORK_CACHE=str(cache))
    out = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT_PROBE, str(home)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    stdlib = set(sys.stdlib_module_names)
    packages = {m.split(".")[0] for m in loaded} - stdlib - {"paperwork", "__main__"}
    packages = {p for p in packages if not p.startswith("_")}
    assert packages <= FIRST_PAINT_PACKAGES, sorted(packages - FIRST_PAINT_PACKAGES)
    never = sorted(m for m in loaded for n in FIRST_PAINT_NEVER if m == n or m.startswith(n + "."))
    assert not never, never
    ours = {m for m in loaded if m.startswith("paperwork")}
    assert ours <= FIRST_PAINT_MODULES, sorted(ours - FIRST_PAINT_MODULES)


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


def test_platypus_is_imported_without_compiling_the_web_address_pattern():
    # reportlab's URL pattern costs a third of its import; it is compiled on first use,
    # matches as the real one does, and re.compile is left as it was
    code = (
        "import re\n"
        "compile_before = re.compile\n"
        "from paperwork.render.platypus import PatternOnFirstUse, import_platypus\n"
        "import_platypus()\n"
        "from reportlab.platypus import paragraph\n"
        "assert re.compile is compile_before\n"
        "lazy = paragraph.uri_pat\n"
        "assert isinstance(lazy, PatternOnFirstUse), type(lazy)\n"
        "real = re.compile(lazy.pattern, lazy.flags)\n"
        "for text in ('https://www.example.org/a/b', 'HTTP://ÉCOLE.fr/x', 'word', 'a://'):\n"
        "    assert bool(lazy.match(text)) == bool(real.match(text)), text\n"
        "assert paragraph._uri_split_pairs('https://example.org/a/b')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_platypus_leaves_pillow_to_the_first_picture():
    # Pillow's image module is not run for a letter; the first picture loads it, and
    # reportlab then reads that picture as usual
    code = (
        "import io, sys\n"
        "from paperwork.render.platypus import import_platypus\n"
        "import_platypus()\n"
        "import reportlab.platypus\n"
        "assert 'PIL.ImageMode' not in sys.modules\n"
        "from reportlab.lib.utils import ImageReader\n"
        "from PIL import Image\n"
        "picture = io.BytesIO()\n"
        "Image.new('RGB', (8, 5), (200, 10, 10)).save(picture, 'PNG')\n"
        "picture.seek(0)\n"
        "assert ImageReader(picture).getSize() == (8, 5)\n"
        "assert Image.Image.__name__ == 'Image'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
