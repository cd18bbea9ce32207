"""Errors that reach the user as clear lines rather than tracebacks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from paperwork.core.i18n import N_, _


class UserError(Exception):
    """Bad input or usage: one clear line per problem, exit status 2.

    ``problems`` are complete sentences; ``source`` (a file name) is put in front
    of each so the person knows where to look.
    """

    exit_code = 2

    def __init__(self, problems: str | Iterable[str], source: str | None = None):
        items = [problems] if isinstance(problems, str) else list(problems)
        self.problems = [f"{source}: {p}" if source else p for p in items]
        super().__init__("\n".join(self.problems))


class NotFound(UserError):
    """A case, letter or file named by the user does not exist."""


# marshmallow's own messages, listed so that they are extracted for translation
MARSHMALLOW_MESSAGES = (
    N_("Missing data for required field."),
    N_("Unknown field."),
    N_("Not a valid string."),
    N_("Not a valid list."),
    N_("Not a valid integer."),
    N_("Not a valid mapping type."),
    N_("Field may not be null."),
    N_("Invalid input type."),
    N_("Invalid value."),
)


def flatten_messages(messages: Mapping[str, Any] | list[Any] | str, prefix: str = "") -> list[str]:
    """Turn marshmallow's nested error dict into ``field.path: message`` lines."""
    if isinstance(messages, str):
        text = _(messages)
        return [f"{prefix}: {text}" if prefix else text]
    if isinstance(messages, list):
        lines: list[str] = []
        for item in messages:
            lines.extend(flatten_messages(item, prefix))
        return lines
    lines = []
    for key in sorted(messages, key=lambda k: (isinstance(k, int), str(k))):
        # marshmallow reports schema-level errors under "_schema"
        path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
        lines.extend(flatten_messages(messages[key], path))
    return lines
