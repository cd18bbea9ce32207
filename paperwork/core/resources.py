"""Shipped files (letter templates, fonts, the sample case) read the same way
from a checkout and from an installed wheel, through importlib.resources."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def templates_root() -> Traversable:
    """The shipped ``letter_templates`` folder (installed as paperwork.letter_templates)."""
    return resources.files("paperwork.letter_templates")


def read_text(name: str) -> str:
    """A text file from ``letter_templates`` by relative path."""
    node = templates_root()
    for part in name.split("/"):
        node = node / part
    return node.read_text(encoding="utf-8")


def package_file(*parts: str) -> Traversable:
    """A file shipped inside the ``paperwork`` package (fonts, sample case)."""
    node = resources.files("paperwork")
    for part in parts:
        node = node / part
    return node
