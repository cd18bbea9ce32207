"""Only the package list lives here (everything else is in pyproject.toml).

Code packages and the folders of shipped data below them (fonts, the sample case,
letter kinds and bodies, translation catalogs) are all declared as packages, with
``tui``, ``letter_templates`` and ``locales`` mapped under ``paperwork``; a new
letter kind's folder is picked up without editing any list.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {
    "paperwork": "paperwork",
    "paperwork.tui": "tui",
    "paperwork.letter_templates": "letter_templates",
    "paperwork.locales": "locales",
}


def _packages() -> list[str]:
    here = Path(__file__).parent
    found = []
    for name, folder in ROOTS.items():
        base = here / folder
        for path in sorted([base, *(p for p in base.rglob("*") if p.is_dir())]):
            parts = path.relative_to(base).parts
            if any(
                part.startswith(".") or part == "__pycache__" or part.endswith(".egg-info")
                for part in parts
            ):
                continue
            found.append(".".join([name, *parts]))
    return found


setup(packages=_packages())
