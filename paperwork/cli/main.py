"""The main command group and the entry point; each command group lives in its own module.

Startup is a feature: this module imports only click at load time. The domain,
the renderers and the TUI are imported inside the commands that use them, so
``paperwork --help`` never loads reportlab, docxtpl or textual.

Exit status: 0 done, 2 bad input or usage (one line per problem on stderr),
1 unexpected failure (one line; the traceback goes to the data folder's log).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from paperwork.cli import collector
from paperwork.cli.support import (
    CONTEXT,
    PROG,
    App,
    TranslatedGroup,
    one_line,
    output_folder,
    pass_app,
    today_default,
)
from paperwork.core import import_cache
from paperwork.core.i18n import N_, _

if TYPE_CHECKING:
    pass


# click's own messages that a person meets, listed so they are extracted and
# translated in Paperwork's catalog (install_language makes click read it).
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Aborted!"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("Option {name!r} does not take a value."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("file"),
    N_("directory"),
    N_("path"),
)


@click.group(cls=TranslatedGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PAPERWORK_HOME",
    help="Data folder (default: $PAPERWORK_HOME, else your user data folder; see 'paperwork locate').",
)
@click.option(
    "--lang",
    default=None,
    metavar="LANG",
    help="Interface language: en, de, fr or es (default: config file, then LC_ALL/LC_MESSAGES/LANG).",
)
@click.version_option(package_name="paperwork", message="paperwork %(version)s")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, lang: str | None) -> None:
    """Paperwork: documented, scheduled written pressure on a big company.

    Describe a dispute once in a case file, then draft, print and send formal
    letters, record every call and reply, and let Paperwork tell you when the
    next, sharper letter is due.

    \b
    A first case, start to finish:
      paperwork profile set --from me.toml          your name and address, once
      paperwork case new --from case.json           prints the case id, e.g. 1
      paperwork letter draft 1 --kind complaint     prints the letter id, e.g. 1
      paperwork letter edit 1                       adjust the wording in $EDITOR
      paperwork letter render 1 --out letters/      PDF to print, DOCX to edit
      paperwork letter sent 1 --on 2026-11-26 --via certified --tracking 9400...
      paperwork due                                 what must go out this week

    Run 'paperwork' alone for the terminal app. Paperwork is not legal advice:
    its letters state your facts and cite the rules they rely on.
    """
    collector.for_command(ctx.invoked_subcommand)
    ctx.obj = App(home)
    ctx.call_on_close(ctx.obj.close)
    if _chosen.get("language") != (ctx.obj.home, lang):  # main() did it with other inputs
        _choose_language(ctx.obj, lang)
    else:
        ctx.obj.config = _chosen.get("config")
    if ctx.invoked_subcommand is None:
        _start_tui(ctx.obj, demo=False)


# What main() chose the interface language from (data folder, --lang) and the config it
# read, so that the group's callback does not read the same file again.
_chosen: dict[str, Any] = {}


def _choose_language(app: App, lang: str | None) -> None:
    """Install the interface language; letters keep following their case's locale."""
    from paperwork.core.errors import UserError
    from paperwork.core.i18n import install_language, interface_language
    from paperwork.store.config import Config

    app.config = Config.load(app.home)
    configured = app.config.lang
    try:
        language = interface_language(lang, configured)
    except ValueError:
        raise UserError(
            _("--lang: '{lang}' is not an interface language; use en, de, fr or es.").format(
                lang=lang
            )
        ) from None
    install_language(language)


def _start_tui(app: App, demo: bool) -> None:
    try:
        from paperwork.tui.app import run as run_tui
    except ImportError:
        click.echo(
            _("The terminal app is not available in this build; use the commands below."), err=True
        )
        click.echo(click.get_current_context().get_help())
        return
    collector.for_long_runs()
    run_tui(app.home, demo=demo)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    callback=output_folder,
    default=None,
    help="Folder for the sample letter (default: DATA/letters).",
)
@click.option("--no-tui", is_flag=True, help="Only load the sample case and render its letter.")
@click.option(
    "--sample",
    default=None,
    help="Load this sample case with its history and draft every kind that fits it (see the names in paperwork/sample/cases).",
)
@pass_app
def demo(app: App, out_dir: Path | None, no_tui: bool, sample: str | None) -> None:
    """Load the sample case, draft and render its first letter, then open the app."""
    from paperwork.services.demo import load_demo, load_demo_sample

    out = out_dir or app.home / "letters"
    if sample:
        paths = load_demo_sample(app.pw, sample, out)
    else:
        paths = load_demo(app.pw, out, today_default())
    for path in paths:
        click.echo(one_line(str(path)))
    if not no_tui and sys.stdin.isatty() and sys.stdout.isatty():
        _start_tui(app, demo=True)


@cli.command(context_settings=CONTEXT)
@pass_app
def tui(app: App) -> None:
    """Open the terminal app."""
    _start_tui(app, demo=False)


# ---------------------------------------------------------------------------
# the command groups, one module each (paperwork/cli/*.py), loaded when first used

# Each top-level command and the module whose register(cli) adds it. `paperwork letter
# render` imports letters.py and none of the others; listing the commands (--help,
# completion) loads them all. tests/unit/test_import_hygiene.py checks this table.
COMMAND_MODULES = {
    "profile": "cases",
    "case": "cases",
    "kinds": "cases",
    "letter": "letters",
    "log": "log",
    "due": "due",
    "reissue": "due",
    "evidence": "record",
    "chronology": "record",
    "bundle": "record",
    "envelope": "record",
    "calendar": "schedule",
    "social": "aggregate",
    "campaign": "aggregate",
    "stats": "aggregate",
    "export": "exchange",
    "import": "exchange",
    "locate": "exchange",
    "config": "settings",
    "undo": "history",
    "pool": "pool",
}


class _CommandTable(dict[str, click.Command]):
    """The main group's commands: a command's module is imported when the command is
    first looked up; anything that lists them all loads every module first."""

    def _load(self, name: str) -> None:
        module = COMMAND_MODULES.get(name)
        if module is not None and not dict.__contains__(self, name):
            from importlib import import_module

            import_module(f"paperwork.cli.{module}").register(cli)

    def _load_all(self) -> None:
        for name in COMMAND_MODULES:
            self._load(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return dict.get(self, name, default)

    def __getitem__(self, name: str) -> click.Command:
        self._load(name)
        return dict.__getitem__(self, name)

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self._load(name)
        return dict.__contains__(self, name)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load_all()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._load_all()
        return dict.keys(self)

    def values(self) -> Any:
        self._load_all()
        return dict.values(self)

    def items(self) -> Any:
        self._load_all()
        return dict.items(self)


cli.commands = _CommandTable(cli.commands)


# ---------------------------------------------------------------------------
# entry point


def _option_value(args: list[str], name: str, kind: type) -> Any:
    """The value of a global option in raw arguments (``--x V`` or ``--x=V``), if given."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            return kind(args[index + 1])
        if arg.startswith(name + "="):
            return kind(arg.split("=", 1)[1])
    return None


def _log_crash(home: Path | None) -> Path | None:
    import traceback

    try:
        from paperwork.store.config import default_home, locations
        from paperwork.store.files import PRIVATE_FILE, ensure_private_dir

        where = locations(home or default_home())
        ensure_private_dir(where.logs)
        path = where.log_file
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {date.today().isoformat()} paperwork {' '.join(sys.argv[1:])}\n")
            handle.write(traceback.format_exc())
        path.chmod(PRIVATE_FILE)
        return path
    except Exception:
        return None


class _LogFileHandler:
    """Library warnings (pypdf's, Pillow's) go to the error log, never to
    the person's terminal; opened only when a warning actually comes."""

    def __init__(self, home: Path | None):
        self.home = home

    def install(self) -> None:
        import logging
        import warnings

        handler = logging.Handler(level=logging.WARNING)
        handler.emit = self.emit  # type: ignore[method-assign]
        root = logging.getLogger()
        root.handlers = [h for h in root.handlers if not getattr(h, "_paperwork", False)]
        handler._paperwork = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        warnings.showwarning = self.show_warning

    def emit(self, record) -> None:
        self.write(f"{record.levelname} {record.name}: {record.getMessage()}")

    def show_warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        self.write(f"warning {category.__name__}: {message}")

    def write(self, text: str) -> None:
        import contextlib

        from paperwork.store.config import default_home, locations
        from paperwork.store.files import PRIVATE_FILE

        with contextlib.suppress(Exception):
            where = locations(self.home or default_home())
            folder = where.logs
            if not folder.is_dir():
                if not folder.parent.is_dir():
                    return
                folder.mkdir(mode=0o700)
            path = where.log_file
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"--- {date.today().isoformat()} {one_line(text)}\n")
            path.chmod(PRIVATE_FILE)


COMPLETE_VAR = "_PAPERWORK_COMPLETE"


def _shell_completion() -> None:
    """Answer the shell's completion request (``_PAPERWORK_COMPLETE=bash_source`` and the
    like) and exit, before anything opens the app or looks at a data folder."""
    instruction = os.environ.get(COMPLETE_VAR)
    if not instruction:
        return
    from click.shell_completion import shell_complete

    from paperwork.core.i18n import install_language, interface_language

    # Command summaries (zsh and fish show them) in the environment's language; the
    # config file is not read, so completion never touches the data folder.
    install_language(interface_language())
    sys.exit(shell_complete(cli, {}, "paperwork", COMPLETE_VAR, instruction))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: runs the CLI and turns errors into exit statuses."""
    from paperwork.core.errors import UserError

    if argv is None:  # a process of its own (tests call main() in theirs)
        collector.for_one_command()
        _shell_completion()  # answers and exits, writing nothing anywhere
        import_cache.install()
    app_home: Path | None = None
    args = list(sys.argv[1:] if argv is None else argv)
    _LogFileHandler(_option_value(args, "--home", Path)).install()
    try:
        # Before click parses anything, so that even `--help` speaks the language.
        _chosen.clear()
        first, lang = App(_option_value(args, "--home", Path)), _option_value(args, "--lang", str)
        _choose_language(first, lang)
        _chosen.update(language=(first.home, lang), config=first.config)
        ctx = cli.make_context("paperwork", args)
        app_home = ctx.params.get("home")
        with ctx:
            cli.invoke(ctx)
    except UserError as exc:
        for line in exc.problems:
            click.echo(PROG + one_line(line), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # the reader went away (`paperwork case show 1 | head`): nothing is wrong with
        # the data; stop quietly, and keep Python from failing again on the final flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except click.ClickException as exc:
        # click quotes the value typed, control characters too (it declares message Final)
        exc.message = one_line(exc.message)  # type: ignore[misc]
        exc.show()
        sys.exit(exc.exit_code)
    except sqlite3.DatabaseError as exc:
        if "readonly database" in str(exc):
            from paperwork.store.home import read_only_message

            click.echo(
                PROG + one_line(read_only_message(_database_path(app_home).parent)), err=True
            )
            sys.exit(2)
        if isinstance(exc, sqlite3.OperationalError) and not _disk_full(exc):
            _crash(app_home, exc)
        elif _disk_full(exc):
            click.echo(
                PROG + _("the disk is full; nothing was changed. Free some space and try again."),
                err=True,
            )
        else:
            click.echo(
                PROG
                + _(
                    "{path}: the database cannot be read ({error}); it was left as it is. Restore a backup or move it aside to start a new one."
                ).format(path=_database_path(app_home), error=exc),
                err=True,
            )
        sys.exit(2)
    except OSError as exc:
        if _not_writable(exc):
            click.echo(
                PROG
                + one_line(
                    _(
                        "{path}: cannot write there (the folder is read-only or not yours); nothing was changed."
                    ).format(path=exc.filename or _database_path(app_home).parent)
                ),
                err=True,
            )
            sys.exit(2)
        if not _disk_full(exc):
            _crash(app_home, exc)
        click.echo(
            PROG + _("the disk is full; nothing was changed. Free some space and try again."),
            err=True,
        )
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo(_("Interrupted."), err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, traceback to the log
        _crash(app_home, exc)
    sys.exit(0)


def _database_path(home: Path | None) -> Path:
    from paperwork.services.session import database_path
    from paperwork.store.config import default_home

    return database_path(home or default_home())


def _not_writable(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


def _disk_full(exc: BaseException) -> bool:
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and "disk is full" in str(exc)


def _crash(home: Path | None, exc: BaseException) -> NoReturn:
    """An unexpected failure: one line for the person, the traceback to the log, exit 1."""
    where = _log_crash(home)
    hint = _("; details in {path}").format(path=where) if where else ""
    click.echo(
        PROG
        + one_line(_("unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}"))
        + hint,
        err=True,
    )
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
