"""What the command line's modules share: options, the per-run state, output helpers.

main.py and every command-group module import from here (never from each other), so
a command group can be loaded on its own (main.py loads each when first used). Only
click is imported at load time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from paperwork.core.controls import scrub
from paperwork.core.i18n import _

if TYPE_CHECKING:
    from paperwork.services.session import Paperwork
    from paperwork.store.config import Config

PROG = "paperwork: "  # prefix of every error line
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _TranslatedHelp:
    """Translate help texts when they are shown, so --help follows --lang.

    click keeps each command's help as given; the catalog holds those texts
    (tools/i18n.py extracts them from the command tree). Every command uses one
    of the two classes below (a test walks the tree): command-group modules pass
    ``cls=TranslatedCommand`` or ``cls=TranslatedGroup``.
    """

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        saved = _swap_help(cast(click.Command, self))  # mixed into click's classes only
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            for obj, attr, value in saved:
                setattr(obj, attr, value)
        format_examples(ctx, formatter)


def command_key(ctx: click.Context) -> str:
    """A command's path below ``paperwork``: "letter draft"."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def format_examples(ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """The command's examples (cli/examples.py) at the end of its help."""
    from paperwork.cli.examples import EXAMPLES

    lines = EXAMPLES.get(command_key(ctx))
    if not lines:
        return
    formatter.write_paragraph()
    formatter.write_text(_("Examples:"))
    with formatter.indentation():
        for line in lines:
            formatter.write(" " * formatter.current_indent + line + "\n")


def _swap_help(command: click.Command) -> list[tuple[Any, str, Any]]:
    saved: list[tuple[Any, str, Any]] = []
    targets: list[Any] = [command, *command.params]
    if isinstance(command, click.Group):
        targets += list(command.commands.values())
    for obj in targets:
        for attr in ("help", "short_help"):
            value = getattr(obj, attr, None)
            if isinstance(value, str) and value:
                saved.append((obj, attr, value))
                setattr(obj, attr, _(value))
    return saved


class TranslatedCommand(_TranslatedHelp, click.Command):
    """A command whose help is shown in the interface language."""


class TranslatedGroup(_TranslatedHelp, click.Group):
    """A group whose help, and its commands' summaries, follow the interface language."""

    command_class = TranslatedCommand


TranslatedGroup.group_class = TranslatedGroup


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """A top-level command of a command-group module, with translated help."""
    kwargs.setdefault("cls", TranslatedCommand)
    return click.command(*args, **kwargs)


def group(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Group]:
    """A command group of a command-group module, with translated help."""
    kwargs.setdefault("cls", TranslatedGroup)
    return click.group(*args, **kwargs)


class IsoDateType(click.ParamType):
    """A date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            if len(value) != 10:
                raise ValueError
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(
                _("'{value}' is not a date; write it as YYYY-MM-DD.").format(
                    value=one_line(str(value))
                ),
                param,
                ctx,
            )
        from paperwork.core.deadlines import day_out_of_range

        problem = day_out_of_range(day)
        if problem:
            self.fail(problem, param, ctx)
        return day


ISO_DATE = IsoDateType()


# Options that many commands take, defined once; each command gives its own help text.
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _unset_default(required: bool) -> dict[str, Any]:
    """No default for a required option: since click 8.3 an explicit ``default=None``
    counts as a value, so a missing required option would slip through as None."""
    return {} if required else {"default": None}


def json_option(help: str = "Machine-readable output.") -> Decorator:
    """``--json``: machine-readable output, passed as ``as_json``."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def on_option(help: str, *, required: bool = False) -> Decorator:
    """``--on DATE``, passed as ``on``; None means today unless ``required``."""
    return click.option(
        "--on", "on", type=ISO_DATE, required=required, help=help, **_unset_default(required)
    )


def from_option(help: str, *, required: bool = True, dir_okay: bool = True) -> Decorator:
    """``--from FILE``: a file to read, passed as ``source``."""
    path = click.Path(dir_okay=dir_okay, path_type=Path)
    return click.option(
        "--from", "source", type=path, required=required, help=help, **_unset_default(required)
    )


def out_file_option(
    help: str, *, flag: str = "--out", dest: str = "out", required: bool = True
) -> Decorator:
    """``--out FILE`` (or another flag such as ``--docx``): a file to write, in a folder
    that exists and can be written (checked before any work starts)."""
    path = click.Path(path_type=Path)
    return click.option(
        flag,
        dest,
        type=path,
        required=required,
        callback=output_file,
        help=help,
        **_unset_default(required),
    )


def out_dir_option(help: str, *, required: bool = True) -> Decorator:
    """``--out DIR``: a folder to write into (created if missing, checked before any work
    starts), passed as ``out_dir``."""
    path = click.Path(path_type=Path)
    return click.option(
        "--out",
        "out_dir",
        type=path,
        required=required,
        callback=output_folder,
        help=help,
        **_unset_default(required),
    )


def today_default() -> date:
    """Today, for options that default to it (the rules themselves never read the clock).

    ``$PAPERWORK_TODAY`` (YYYY-MM-DD) stands in for the clock: to rehearse a case's
    timeline ahead of time, and for tests that record letters sent on later days."""
    import os

    fixed = os.environ.get("PAPERWORK_TODAY", "").strip()
    if fixed:
        from paperwork.core.errors import UserError

        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise UserError(
                _("PAPERWORK_TODAY: '{value}' is not a date; write it as YYYY-MM-DD.").format(
                    value=fixed
                )
            ) from None
    return date.today()


class App:
    """Per-invocation state: where the data folder is, and the services on it."""

    def __init__(self, home: Path | None):
        self._home = home
        self._pw: Paperwork | None = None
        self.config: Config | None = None  # config.toml, once read for the language

    @property
    def home(self) -> Path:
        if self._home is None:
            from paperwork.store.config import default_home

            self._home = default_home()
        return self._home

    @property
    def pw(self) -> Paperwork:
        if self._pw is None:
            from paperwork.services.session import Paperwork

            self._pw = Paperwork(self.home, config=self.config)
        return self._pw

    def close(self) -> None:
        """Close the database, if the command opened it: SQLite then folds its write-ahead
        log into the database file, so the folder is whole (a read-only copy or mount of it
        reads) without waiting for the garbage collector, which skips it at exit."""
        if self._pw is not None:
            self._pw.close()
            self._pw = None


pass_app = click.make_pass_decorator(App)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


# Characters that would reorder the terminal's text (bidi overrides and isolates).


def _escape(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def safe(text: str) -> str:
    """Text from the store or the command line, with control, text-direction and
    invisible characters shown as escapes rather than sent to the terminal (the
    one rule of :func:`paperwork.core.controls.scrub`)."""
    return scrub(text, keep="\n\t", show=_escape)


def one_line(text: str) -> str:
    """A message that must stay on one line (error lines): line breaks shown as \\n."""
    return (
        safe(text)
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def checked_texts(values: dict[str, str]) -> dict[str, str]:
    """Option texts pass the same character rules as case files."""
    from marshmallow import ValidationError

    from paperwork.core.errors import UserError
    from paperwork.core.schema import clean_text

    out, problems = {}, []
    for key, value in values.items():
        try:
            out[key] = clean_text(value, multiline=True)
        except ValidationError as exc:
            problems.append("--" + key + ": " + _(exc.messages[0]))
    if problems:
        raise UserError(problems)
    return {k: v for k, v in out.items() if v}


# ---------------------------------------------------------------------------
# where output goes: checked before any work, one line naming the option


def _output_problem(path: Path, folder: bool) -> str | None:
    """Why ``path`` cannot receive output (None when it can). Missing folders are
    created when the output is written, so the nearest existing one must be writable."""
    import os

    if folder and path.exists() and not path.is_dir():
        return _("is a file; give a folder.")
    if not folder and path.is_dir():
        return _("is a folder; give a file name.")
    target = path if folder else path.parent
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return _("{folder} is not a folder.").format(folder=existing)
    if not os.access(existing, os.W_OK | os.X_OK):
        if existing == target:
            return _("the folder {folder} cannot be written to.").format(folder=existing)
        return _("the folder {folder} cannot be created: {parent} cannot be written to.").format(
            folder=target, parent=existing
        )
    return None


def _check_output(ctx: click.Context, param: click.Parameter, value: Any, folder: bool) -> Any:
    if value is None or ctx.resilient_parsing:
        return value
    from paperwork.core.errors import UserError

    problem = _output_problem(Path(value).absolute(), folder)
    if problem:
        raise UserError(f"{param.opts[0]}: {value}: {problem}")
    return value


def output_file(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Option callback: a file to write, in a folder that exists and can be written."""
    return _check_output(ctx, param, value, folder=False)


def output_folder(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Option callback: a folder to write into (created if missing) that can be written."""
    return _check_output(ctx, param, value, folder=True)


# ---------------------------------------------------------------------------
# progress of long commands (bundle, reissue)


class Progress:
    """Progress on stderr: a bar when stderr is a terminal; otherwise, once the work
    has taken ``QUIET_FOR`` seconds, a plain line at most every ``EVERY`` seconds and
    at the last step (for cron mail and log files; a quick run stays silent). stdout
    is left to the command's own output."""

    QUIET_FOR = 3.0
    EVERY = 5.0

    def __init__(self, label: str):
        import sys
        import time

        self.label = label
        self.stream = sys.stderr
        self.terminal = self.stream.isatty()
        self.total = 0
        self.done = 0
        self._bar: Any = None
        self._started = time.monotonic()
        self._last: float | None = None

    def start(self, total: int) -> None:
        self.total = total
        if self.terminal and total:
            self._bar = click.progressbar(
                length=total,
                label=self.label,
                file=self.stream,
                show_pos=True,
                item_show_func=lambda text: text,
            )
            self._bar.__enter__()

    def step(self, text: str = "") -> None:
        import time

        self.done += 1
        if self._bar is not None:
            self._bar.update(1, safe(text)[:40])
            return
        now = time.monotonic()
        if now - self._started < self.QUIET_FOR:
            return
        if self._last is None or now - self._last >= self.EVERY or self.done == self.total:
            self._last = now
            line = f"{self.label}: {self.done}/{self.total}" if self.total else self.label
            click.echo(one_line(f"{line} {text}".rstrip()), err=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def printer_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--printer NAME`` and ``--copies N`` for the commands that print through lp."""
    command = click.option(
        "--copies",
        type=click.IntRange(1, 99),
        default=1,
        show_default=True,
        help="Number of copies.",
    )(command)
    return click.option(
        "--printer",
        default=None,
        metavar="NAME",
        help="CUPS printer (default: printer in config.toml, else the default printer).",
    )(command)
