"""Interface translations: extract, update and compile the gettext catalogs.

    python tools/i18n.py extract    # write locales/paperwork.pot from the code
    python tools/i18n.py update     # merge the template into locales/<lang>/LC_MESSAGES/paperwork.po
    python tools/i18n.py compile    # write the .mo files the package loads
    python tools/i18n.py all        # the three in order

Extraction reads the [tool.babel] table of pyproject.toml. The compiled .mo
files are committed so a wheel needs no build step; a test checks they match.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
LANGUAGES = ("de", "fr", "es")
POT = LOCALES / "paperwork.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2"]


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True)


def extract(pot: Path = POT) -> None:
    """Messages marked with _() in the code, plus the command line's help texts."""
    _pybabel(
        "extract",
        "-F",
        "pyproject.toml",
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--project",
        "paperwork",
        "--no-wrap",
        "-o",
        str(pot),
        "paperwork",
        "tui",
    )
    _add_help_texts(pot)


def _add_help_texts(pot: Path) -> None:
    """click shows each command's docstring and each option's help= text; the
    translated command classes look them up in the catalog, so they belong in it."""
    sys.path.insert(0, str(ROOT))
    import click
    from babel.messages.pofile import read_po, write_po

    from paperwork.cli.main import cli

    with open(pot, "rb") as handle:
        catalog = read_po(handle)

    def walk(command: click.Command) -> None:
        for text in (command.help, command.short_help):
            if text:
                catalog.add(text)
        for param in command.params:
            if getattr(param, "help", None):
                catalog.add(param.help)
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                walk(sub)

    walk(cli)
    with open(pot, "wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, omit_header=False)


def update() -> None:
    for lang in LANGUAGES:
        po = LOCALES / lang / "LC_MESSAGES" / "paperwork.po"
        if po.exists():
            _pybabel(
                "update",
                "-i",
                str(POT),
                "-d",
                str(LOCALES),
                "-D",
                "paperwork",
                "-l",
                lang,
                "--no-wrap",
                "--ignore-obsolete",
                "--no-fuzzy-matching",
            )
        else:
            _pybabel(
                "init",
                "-i",
                str(POT),
                "-d",
                str(LOCALES),
                "-D",
                "paperwork",
                "-l",
                lang,
                "--no-wrap",
            )


def compile_catalogs() -> None:
    _pybabel("compile", "-d", str(LOCALES), "-D", "paperwork", "--statistics")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "extract":
        extract(Path(sys.argv[2]))  # to another file (the catalog tests use this)
        sys.exit(0)
    steps = {
        "extract": [extract],
        "update": [update],
        "compile": [compile_catalogs],
        "all": [extract, update, compile_catalogs],
    }
    for step in steps[sys.argv[1] if len(sys.argv) > 1 else "all"]:
        step()
