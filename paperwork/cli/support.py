"""What the command line's modules share: options, the per-run state, output helpers.

cli.py and every module in commands/ import from here (never from each other), so
a command area can be loaded on its own. Only click is imported at load time.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from paperwork.core.controls import BIDI_CONTROLS
from paperwork.core.i18n import _

if TYPE_CHECKING:
    from paperwork.services.session import Paperwork

PROG = "paperwork: "  # prefix of every error line
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _TranslatedHelp:
    """Translate help texts when they are shown, so --help follows --lang.

    click keeps each command's help as given; the catalog holds those texts
    (tools/i18n.py extracts them from the command tree). Every command uses one
    of the two classes below (a test walks the tree): commands/ modules pass
    ``cls=TranslatedCommand`` or ``cls=TranslatedGroup``.
    """

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        saved = _swap_help(self)
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            for obj, attr, value in saved:
                setattr(obj, attr, value)


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
        from marshmallow import ValidationError

        from paperwork.core.schema import check_day

        try:
            return check_day(day)
        except ValidationError as exc:
            self.fail(exc.messages[0], param, ctx)


ISO_DATE = IsoDateType()


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

            self._pw = Paperwork(self.home)
        return self._pw


pass_app = click.make_pass_decorator(App)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


# Characters that would reorder the terminal's text (bidi overrides and isolates).


def safe(text: str) -> str:
    """Text from the store or the command line, with control characters and
    text-direction overrides shown as escapes rather than sent to the terminal."""
    return "".join(
        f"\\u{ord(ch):04x}"
        if ch in BIDI_CONTROLS
        else (f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch)
        for ch in text
    )


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
