"""The German, French and Spanish catalogs are complete, current and compiled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "fr", "es")


def _catalog(lang: str):
    from babel.messages.pofile import read_po

    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "paperwork.po", "rb") as handle:
        return read_po(handle)


def _template_ids(tmp_path: Path) -> set[str]:
    """Extract the messages of the code as it is now."""
    from babel.messages.pofile import read_po

    pot = tmp_path / "now.pot"
    subprocess.run(
        [sys.executable, "tools/i18n.py", "extract", str(pot)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    catalog = _catalog(lang)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_kept(lang):
    import re

    field = re.compile(r"\{[a-z_0-9]*(?:![rsa])?(?::[^}]*)?\}")
    for message in _catalog(lang):
        if not message.id or isinstance(message.id, tuple):
            continue
        assert sorted(field.findall(message.id)) == sorted(field.findall(message.string)), (
            message.id
        )


def test_catalogs_cover_the_code(tmp_path):
    wanted = _template_ids(tmp_path)
    for lang in LANGUAGES:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
        assert sorted(wanted - have) == [], f"{lang}: run python tools/i18n.py all and translate"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po(lang):
    import gettext

    mo = ROOT / "locales" / lang / "LC_MESSAGES" / "paperwork.mo"
    with open(mo, "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog(lang):
        if message.id and isinstance(message.id, str) and message.string:
            assert compiled.gettext(message.id) == message.string


def test_cli_speaks_german(run_cli, us_case_file):
    code, out, _err = run_cli("--lang", "de", "case", "list")
    assert code == 0
    assert "Noch keine Fälle" in out


def test_interface_language_comes_from_the_environment(monkeypatch):
    from paperwork.core.i18n import interface_language

    assert interface_language(None, None, {"LANG": "fr_FR.UTF-8"}) == "fr"
    assert interface_language(None, None, {"LC_ALL": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}) == "es"
    assert interface_language(None, "de", {"LANG": "fr_FR.UTF-8"}) == "de"
    assert interface_language("en", "de", {"LANG": "fr_FR.UTF-8"}) == "en"
    assert interface_language(None, None, {"LANG": "C.UTF-8"}) == "en"
    assert interface_language(None, None, {"LANG": "ja_JP.UTF-8"}) == "en"


def test_letters_follow_the_case_not_the_interface(run_cli, gb_case_file):
    code, out, _ = run_cli("--lang", "de", "case", "new", "--from", str(gb_case_file))
    assert code == 0
    case_id = out.strip().splitlines()[-1]
    code, out, _ = run_cli(
        "--lang", "de", "letter", "draft", case_id, "--kind", "complaint", "--on", "2026-11-26"
    )
    letter_id = out.strip().splitlines()[-1]
    code, out, _ = run_cli("--lang", "de", "letter", "show", letter_id)
    assert "Yours faithfully" in out and "Mit freundlichen" not in out


def _every_command(command, path=()):
    import click

    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _every_command(sub, (*path, name))


def test_every_command_shows_its_help_in_the_interface_language(run_cli):
    from paperwork.cli.main import cli
    from paperwork.cli.support import TranslatedCommand, TranslatedGroup

    plain = [
        " ".join(path) or "paperwork"
        for path, command in _every_command(cli)
        if not isinstance(command, TranslatedCommand | TranslatedGroup)
    ]
    assert plain == [], "give these cls=TranslatedCommand (or TranslatedGroup)"
    for path, _command in _every_command(cli):
        if path:
            code, out, _err = run_cli("--lang", "de", *path, "--help")
            assert code == 0 and out.startswith("Aufruf: paperwork"), path
            # The first help line is German: it differs from the English one.
            code, english, _err = run_cli("--lang", "en", *path, "--help")
            assert out.splitlines()[2] != english.splitlines()[2], path
