"""Where Paperwork keeps things, and the optional config file.

The data folder is ``--home DIR``, else ``$PAPERWORK_HOME``, else the platform's
user data folder. It holds the database, kept files, user templates and ladders.
A folder given explicitly also holds ``config.toml`` and ``logs/``; with the
default data folder they follow the XDG folders instead (:func:`locations`).
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, cast, get_args, get_origin, get_type_hints

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
    return default_data_dir()


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
    printer: str = _setting(
        "", N_("the CUPS printer for 'letter print'; empty means the default printer")
    )
    print_duplex: bool | None = _setting(
        None,
        N_("print on both sides (true) or one side (false); unset keeps the printer's own setting"),
    )

    @classmethod
    def load(cls, home: Path) -> Config:
        """Read ``home/config.toml`` if it exists; unknown keys are refused clearly."""
        path = config_file(home)
        if not path.is_file():
            return cls()
        import tomllib  # only with a config file: the app's first paint does not wait for it

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


def _value_type(hint: Any) -> type:
    """The type a value in config.toml must have: ``dict`` for ``dict[str, str]``, and
    ``bool`` for ``bool | None`` (leaving a setting out is how it stays unset)."""
    origin = get_origin(hint)
    if origin is types.UnionType:
        return cast(type, next(a for a in get_args(hint) if a is not type(None)))
    return cast(type, origin or hint)


def _table() -> tuple[Setting, ...]:
    hints = get_type_hints(Config)
    return tuple(
        Setting(
            name=f.name,
            type=_value_type(hints[f.name]),
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
    """Store ``changes`` (key -> value, "" removes the key) in the config file.

    The file is edited with tomlkit, so only the changed keys differ: the person's
    comments, spacing and tables survive. It is replaced atomically and read back
    before it is trusted. Nothing is written when any change is refused.
    """
    from paperwork.store.files import atomic_write, ensure_private_dir

    path = config_file(home)
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
    text = edited_toml(text, changes)
    from paperwork.store.home import check_home, folder_writable, read_only_message

    folder = path.parent
    if folder == home:
        check_home(home)
    if folder.is_dir() and not folder_writable(folder):
        raise UserError(read_only_message(folder))
    ensure_private_dir(folder)
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise UserError(
            _("cannot be written ({reason}).").format(reason=exc.strerror or exc), source=str(path)
        ) from None
    return Config.load(home)


def edited_toml(text: str, changes: dict[str, str]) -> str:
    """``text`` with top-level string keys set (or removed, for ""), everything else as it was."""
    import tomlkit

    document = tomlkit.parse(text)
    for key, value in changes.items():
        if not value:
            document.pop(key, None)
        elif key in document:
            document[key] = value  # tomlkit keeps the comment on the line
        else:
            document = _with_new_key(document, key, value)
    return tomlkit.dumps(document)


def _with_new_key(document: Any, key: str, value: str) -> Any:
    """The document with ``key`` added right after the last top-level setting, so it
    does not land under a comment that introduces the first table (tomlkit's own
    placement is just before the first table)."""
    import tomlkit
    from tomlkit.items import AoT, Table

    entries = list(document.body)
    last = max(
        (
            index
            for index, (name, item) in enumerate(entries)
            if name is not None and not isinstance(item, (Table, AoT))
        ),
        default=None,
    )
    insert_at = getattr(document, "_insert_at", None)
    if last is None or last + 1 >= len(entries) or insert_at is None:
        document[key] = value
    else:
        insert_at(last + 1, key, tomlkit.item(value))
    return document


# ---------------------------------------------------------------------------
# where things live


def default_data_dir() -> Path:
    """The platform's user data folder for Paperwork (XDG_DATA_HOME on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("paperwork", appauthor=False))


def _is_default_home(home: Path) -> bool:
    """Whether ``home`` is the platform's data folder rather than one given with --home
    or $PAPERWORK_HOME (those keep config and logs inside them)."""
    if home.expanduser().name != "paperwork":  # the platform's folder is always so named
        return False  # known without importing platformdirs, 5-10 ms of every command
    return home.expanduser().resolve() == default_data_dir().resolve()


@dataclass(frozen=True)
class Locations:
    """Every place Paperwork reads or writes for one data folder, as absolute paths."""

    data: Path
    config: Path
    logs: Path
    templates: Path
    database: Path
    ladders: Path
    regulators: Path
    files: Path

    @property
    def log_file(self) -> Path:
        return self.logs / LOG_NAME

    def as_dict(self) -> dict[str, str]:
        return {
            "data": str(self.data),
            "config": str(self.config),
            "logs": str(self.logs),
            "log_file": str(self.log_file),
            "templates": str(self.templates),
            "kinds": str(self.templates / "kinds"),
            "bodies": str(self.templates / "bodies"),
            "database": str(self.database),
            "ladders": str(self.ladders),
            "regulators": str(self.regulators),
            "files": str(self.files),
        }


LOG_NAME = "paperwork.log"


def locations(home: Path) -> Locations:
    """Where things live for the data folder ``home``.

    A folder given with --home or $PAPERWORK_HOME is self-contained: config.toml and
    logs/ are inside it. For the default data folder the config file is in the user
    config folder (XDG_CONFIG_HOME) and the logs in the user state folder
    (XDG_STATE_HOME), unless a config.toml is already in the data folder: that one
    is then the one read and written.
    """
    home = Path(os.path.abspath(home.expanduser()))
    config, logs = home / CONFIG_NAME, home / "logs"
    if _is_default_home(home):
        from platformdirs import user_config_dir, user_log_dir

        if not config.is_file():
            config = Path(user_config_dir("paperwork", appauthor=False)) / CONFIG_NAME
        logs = Path(user_log_dir("paperwork", appauthor=False))
    return Locations(
        data=home,
        config=config,
        logs=logs,
        templates=home / "templates",
        database=home / "paperwork.db",
        ladders=home / "ladders",
        regulators=home / "regulators.toml",
        files=home / "files",
    )


def config_file(home: Path) -> Path:
    """The config.toml used with the data folder ``home`` (see :func:`locations`)."""
    return locations(home).config
