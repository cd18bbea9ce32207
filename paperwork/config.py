"""Where Paperwork keeps things, and the optional config file.

The data folder is ``--home DIR``, else ``$PAPERWORK_HOME``, else the platform's
user data folder. Everything lives inside it: the database, kept files, logs,
user templates and ladders, and ``config.toml``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UserError
from .i18n import _

CONFIG_NAME = "config.toml"

_KNOWN = {
    "locale": str,
    "lang": str,
    "layout": str,
    "output": str,
    "retention_lead_days": int,
    "theme": str,
    "smtp": dict,
    "keys": dict,
    "layouts": dict,
}


def default_home() -> Path:
    """The data folder when neither --home nor $PAPERWORK_HOME is given."""
    env = os.environ.get("PAPERWORK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("paperwork", appauthor=False))


@dataclass
class Config:
    """Settings from ``config.toml``; every key is optional."""

    locale: str = ""
    lang: str = ""
    layout: str = ""
    output: str = ""
    retention_lead_days: int = 30
    theme: str = ""
    smtp: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    layouts: dict[str, str] = field(default_factory=dict)  # locale -> layout name

    @classmethod
    def load(cls, home: Path) -> Config:
        """Read ``home/config.toml`` if it exists; unknown keys are refused clearly."""
        path = home / CONFIG_NAME
        if not path.is_file():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                _("cannot be read ({exc}).").format(exc=exc), source=str(path)
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise UserError(_("broken TOML: {exc}.").format(exc=exc), source=str(path)) from None
        problems = []
        for key, value in data.items():
            expected = _KNOWN.get(key)
            if expected is None:
                problems.append(f"{key}: unknown setting; known: {', '.join(sorted(_KNOWN))}.")
            elif not isinstance(value, expected):
                problems.append(f"{key}: must be a {expected.__name__}.")
        if problems:
            raise UserError(problems, source=str(path))
        return cls(**data)

    def layout_for(self, locale: str, default: str) -> str:
        """The page layout for letters in ``locale``: per-locale setting, global, then default."""
        return self.layouts.get(locale) or self.layout or default
