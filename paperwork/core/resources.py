"""Shipped files (letter templates, fonts, the sample case) read the same way
from a checkout and from an installed wheel.

A package that is a plain folder on disk (a checkout, an editable install, a wheel
unpacked into site-packages) is opened as a :class:`pathlib.Path`, which is what
importlib.resources would hand out for it too, without importing importlib.resources
(and tempfile, shutil...) on every start. Anything else (a zip file) goes through
importlib.resources.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable


@cache
def package_root(package: str) -> Traversable:
    """The folder of an importable ``package`` (paperwork.letter_templates, paperwork.locales)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if spec is not None and spec.origin and len(locations) == 1 and os.path.isdir(locations[0]):
        return Path(locations[0])
    from importlib import resources

    return resources.files(package)


def templates_root() -> Traversable:
    """The shipped ``letter_templates`` folder (installed as paperwork.letter_templates)."""
    return package_root("paperwork.letter_templates")


def read_text(name: str) -> str:
    """A text file from ``letter_templates`` by relative path."""
    node = templates_root()
    for part in name.split("/"):
        node = node / part
    return node.read_text(encoding="utf-8")


def package_file(*parts: str) -> Traversable:
    """A file shipped inside the ``paperwork`` package (fonts, sample case)."""
    node = package_root("paperwork")
    for part in parts:
        node = node / part
    return node
