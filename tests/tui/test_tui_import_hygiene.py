"""The core never imports the terminal app's toolkit; the app imports it lazily."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_the_core_does_not_import_textual():
    loaded = _modules_after(
        "import paperwork.services.session, paperwork.cli.main, paperwork.core.schema, paperwork.services.demo, paperwork.store.database"
    )
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_the_app_module_does_not_load_renderers_at_import():
    loaded = _modules_after("import paperwork.tui.app")
    assert "textual" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("reportlab", "docxtpl", "docx")}


def test_the_first_screen_loads_neither_the_core_nor_the_text_area():
    # Both load later (the core on the services thread, the text area with the
    # screens that have one), so the first frame does not wait for them.
    loaded = _modules_after("import paperwork.tui.app, paperwork.tui.cases")
    assert "textual.widgets._text_area" not in loaded
    assert not {"marshmallow", "paperwork.services.session", "paperwork.store.database"} & loaded
