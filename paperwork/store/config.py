"""Where Paperwork keeps things, and the optional config file.

The data folder is ``--home DIR``, else ``$PAPERWORK_HOME``, else the platform's
user data folder. Everything lives inside it: the database, kept files, logs,
user templates and ladders, and ``config.toml``.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, get_origin, get_type_hints

from paperwork.core.errors import UserError
from paperwork.core.i18n import N_, _

CONFIG_NAME = "config.toml"

THEMES = ("light", "dark")


def _locales() -> tuple[str, ...]:
    from paperwork.core.schema import SUPPORTED_LOCALES

    return tuple(SUPPORTED_LOCALES)


def _languages() -> tuple[str, ...]:
    from paperwork.core.i18n import INTERFACE_LANGUAGES

    return tuple(INTERFACE_LANGUAGES)


def _layouts() -> tuple[str, ...]:
    from paperwork.core.layouts import LAYOUTS

    return tuple(sorted(LAYOUTS))


def _themes() -> tuple[str, ...]:
    return THEMES


def _setting(
    default: Any,
    help: str,
    *,
    editable: bool = False,
    choices: Callable[[], tuple[str, ...]] | None = None,
) -> Any:
    """One row of the settings table: a field of :class:`Config` with its help.

    ``editable`` settings are plain strings a person changes from the app's Settings
    screen or ``paperwork config set``; tables are edited by hand in config.toml.
    ``choices`` gives the allowed values (computed when asked, so loading the config
    imports none of the modules that know them).
    """
    meta = {"help": help, "editable": editable, "choices": choices}
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Setting:
    """A setting of config.toml as the help, the checks and the docs see it."""

    name: str
    type: type
    default: Any
    help: str  # marked for translation; show it with _()
    editable: bool
    choices: Callable[[], tuple[str, ...]] | None


def default_home() -> Path:
    """The data folder when neither --home nor $PAPERWORK_HOME is given."""
    env = os.environ.get("PAPERWORK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("paperwork", appauthor=False))


@dataclass
class Config:
    """Settings from ``config.toml``; every key is optional.

    This class is the one table of settings: each field is a setting with its type,
    default and help (:data:`SETTINGS`), from which the checks below, ``paperwork
    config``'s help and choices, and the README's list (tests/unit/test_docs.py) follow.
    """

    locale: str = _setting(
        "",
        N_("letter language the app's case form starts with"),
        editable=True,
        choices=_locales,
    )
    lang: str = _setting("", N_("interface language"), editable=True, choices=_languages)
    layout: str = _setting("", N_("page layout and paper"), editable=True, choices=_layouts)
    output: str = _setting("", N_("folder the app writes letters to"), editable=True)
    theme: str = _setting("", N_("the app's colours"), editable=True, choices=_themes)
    retention_lead_days: int = _setting(
        30, N_("days before promo_ends or contract_ends that a retention request is due")
    )
    layouts: dict[str, str] = _setting(
        {}, N_('a table of page layouts per locale, e.g. en_GB = "din5008_a"')
    )
    smtp: dict[str, Any] = _setting(
        {},
        N_(
            "a table telling 'letter email --send' how to send: host, port, username, password, from"
        ),
    )
    keys: dict[str, str] = _setting({}, N_("a table of the app's keys remapped by binding id"))

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
                known = ", ".join(sorted(_KNOWN))
                problems.append(f"{key}: unknown setting; known: {known}.")
            elif not isinstance(value, expected):
                problems.append(f"{key}: must be a {expected.__name__}.")
        if problems:
            raise UserError(problems, source=str(path))
        return cls(**data)

    def layout_for(self, locale: str, default: str) -> str:
        """The page layout for letters in ``locale``: per-locale setting, global, then default."""
        return self.layouts.get(locale) or self.layout or default


def _table() -> tuple[Setting, ...]:
    hints = get_type_hints(Config)
    return tuple(
        Setting(
            name=f.name,
            type=get_origin(hints[f.name]) or hints[f.name],
            default=f.default if f.default_factory is MISSING else f.default_factory(),
            help=f.metadata["help"],
            editable=f.metadata["editable"],
            choices=f.metadata["choices"],
        )
        for f in fields(Config)
    )


SETTINGS: tuple[Setting, ...] = _table()
_KNOWN = {s.name: s.type for s in SETTINGS}
# What the app's Settings screen and `paperwork config set` change.
EDITABLE = tuple(s.name for s in SETTINGS if s.editable)


def setting(name: str) -> Setting:
    """The row of the settings table called ``name``."""
    return next(s for s in SETTINGS if s.name == name)


def check_setting(key: str, value: str) -> str | None:
    """Why ``value`` cannot be stored under ``key`` (None when it can); "" always can,
    and means "back to the default"."""
    if key not in EDITABLE:
        return _("not a setting that can be changed here; the ones that can: {keys}.").format(
            keys=", ".join(EDITABLE)
        )
    if value == "":
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return _("control characters are not allowed.")
    choices = setting(key).choices
    allowed = choices() if choices else None
    if allowed is not None and value not in allowed:
        return _("'{value}' is not one of: {choices}.").format(
            value=value, choices=", ".join(allowed)
        )
    return None


def absolute_output(value: str) -> str:
    """An output folder as it should be stored: "~/..." and absolute paths as given,
    a relative one made absolute (relative to wherever Paperwork happens to start
    later would be a surprise)."""
    if not value or value.startswith("~") or Path(value).is_absolute():
        return value
    return str(Path.cwd() / value)


def save_settings(home: Path, changes: dict[str, str]) -> Config:
    """Store ``changes`` (key -> value, "" removes the key) in ``home/config.toml``.

    Only the lines of the changed keys are touched, so the person's comments and
    tables survive; the file is replaced atomically and read back before it is
    trusted. Nothing is written when any change is refused.
    """
    from paperwork.store.files import atomic_write, ensure_private_dir

    path = home / CONFIG_NAME
    if "output" in changes:
        changes = {**changes, "output": absolute_output(changes["output"])}
    problems = [
        f"{key}: {reason}"
        for key, value in changes.items()
        if (reason := check_setting(key, value)) is not None
    ]
    if problems:
        raise UserError(problems, source=str(path))
    Config.load(home)  # a broken file is reported, never overwritten
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(_("cannot be read ({exc}).").format(exc=exc), source=str(path)) from None
    expected = tomllib.loads(text)
    for key, value in changes.items():
        text = _set_top_level(text, key, _toml_string(value) if value else None)
        if value:
            expected[key] = value
        else:
            expected.pop(key, None)
    try:
        followed = tomllib.loads(text) == expected
    except tomllib.TOMLDecodeError:
        followed = False
    if not followed:
        # A value spread over several lines, or written in a way this line-based
        # edit cannot follow: better to ask than to guess.
        raise UserError(
            _("cannot be changed safely by Paperwork; edit it by hand."), source=str(path)
        )
    from paperwork.store.database import check_home, folder_writable, read_only_message

    check_home(home)
    if home.is_dir() and not folder_writable(home):
        raise UserError(read_only_message(home))
    ensure_private_dir(home)
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(
            _("cannot be written ({reason}).").format(reason=exc.strerror or exc), source=str(path)
        ) from None
    return Config.load(home)


def _toml_string(value: str) -> str:
    """A TOML basic string. JSON's escapes are TOML's; values with control characters
    (which JSON would not escape the TOML way for DEL) never get here (check_setting)."""
    return json.dumps(value, ensure_ascii=False)


_TABLE_START = re.compile(r"^\s*\[")


def _set_top_level(text: str, key: str, rendered: str | None) -> str:
    """Replace, add (before the first table) or remove (``rendered`` None) one top-level key."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    first_table = next((i for i, line in enumerate(lines) if _TABLE_START.match(line)), len(lines))
    assignment = re.compile(rf"""^\s*(?:{key}|"{key}"|'{key}')\s*=""")
    for index in range(first_table):
        if assignment.match(lines[index]):
            if rendered is None:
                del lines[index]
            else:
                lines[index] = f"{key} = {rendered}\n"
            return "".join(lines)
    if rendered is not None:
        # Keep a blank line between the top-level keys and the first table.
        at = first_table
        if 0 < at < len(lines) and not lines[at - 1].strip():
            at -= 1
        lines.insert(at, f"{key} = {rendered}\n")
    return "".join(lines)
