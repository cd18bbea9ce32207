"""The documentation keeps up with the code: every setting of config.toml and every
command and subcommand is described in README.md (or a page in docs/)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from paperwork.cli.main import cli
from paperwork.store.config import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def _docs() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path] if path else []
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            if not sub.hidden:
                found += _commands(sub, (*path, name))
    return found


def _mentioned(path: tuple[str, ...], text: str) -> bool:
    """``paperwork letter draft`` counts as written `letter draft ...`, `paperwork
    letter draft ...` or in a heading that lists siblings: `paperwork letter
    draft|show|edit`."""
    words = r" ".join(rf"(?:[\w-]+\|)*{re.escape(word)}(?:\|[\w-]+)*" for word in path)
    return re.search(rf"`(?:paperwork )?{words}(?=[`\s\[])", text) is not None


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_is_documented(path: tuple[str, ...]):
    assert _mentioned(path, _docs()), f"`paperwork {' '.join(path)}` is not in README.md or docs/"


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented(name: str):
    config = _section((ROOT / "README.md").read_text(encoding="utf-8"), "Configuration")
    assert re.search(rf"^(?:{name} =|\[{name}\])", config, re.MULTILINE), (
        f"setting {name!r} is not in the README's Configuration section"
    )


def test_every_setting_has_help():
    for setting in SETTINGS:
        assert setting.help and setting.help[0].islower(), setting.name


def test_the_check_itself():
    text = "### `paperwork case new|list`\n- `letter draft CASE`\n"
    assert _mentioned(("case", "list"), text)
    assert _mentioned(("letter", "draft"), text)
    assert not _mentioned(("letter", "dra"), text)
    assert not _mentioned(("case", "show"), text)


def _design_sections() -> set[str]:
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    return set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", text, re.MULTILINE))


def _citing_files() -> list[Path]:
    found = []
    for folder in ("paperwork", "tui", "letter_templates", "tests", "tools", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".toml", ".j2", ".tcss"} and "DESIGN" in path.read_text(
                encoding="utf-8", errors="replace"
            ):
                found.append(path)
    return found


@pytest.mark.parametrize("path", _citing_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_design_citations_name_sections_that_exist(path: Path):
    sections = _design_sections()
    text = path.read_text(encoding="utf-8")
    for match in re.finditer(r"(\S*)DESIGN(?:\.md)? ((?:§[\d.]*\d(?:,? (?:and )?)?)+)", text):
        assert match.group(1).endswith("docs/"), f"{match.group(0)!r}: cite docs/DESIGN.md §n"
        for number in re.findall(r"§([\d.]*\d)", match.group(2)):
            assert number in sections, f"{match.group(0)!r}: docs/DESIGN.md has no §{number}"


def test_docs_point_inside_the_repository():
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        assert "../shared" not in page.read_text(encoding="utf-8"), page
