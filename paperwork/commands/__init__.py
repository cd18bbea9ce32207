"""Command groups added beside the core CLI, one module per area.

Each module defines ``register(cli)`` which adds its commands to the main
group. Modules are found automatically, so a new area needs no edit here; like
cli.py, they import heavy libraries only inside their commands.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


def register_all(cli: click.Group) -> None:
    """Import every module of this package and let it add its commands."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(cli)
