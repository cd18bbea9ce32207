"""Escalation ladders: which letter comes next, and when it is due.

A ladder is an ordered list of letter kinds ("rungs"). The built-in ladders are
in ``letter_templates/ladders.toml``; a user's ``ladders`` folder may add more or
replace them by id. Apart from reading those TOML files this module is pure: no
clock, no other I/O.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from paperwork.core.deadlines import BusinessCalendar, Deadline

__all__ = [
    "REGULATOR_RUNGS",
    "Ladder",
    "LadderError",
    "load_ladders",
    "next_rung",
    "schedule_next",
]

LADDERS_FILE = "ladders.toml"
REGULATOR_RUNGS = frozenset({"regulator_complaint"})

_ID_RE = re.compile(r"[a-z0-9_]+")
_LADDER_KEYS = frozenset({"title", "rungs", "source"})


class LadderError(ValueError):
    """A ladders TOML file is unreadable or holds a malformed ladder."""


@dataclass(frozen=True)
class Ladder:
    """An escalation ladder: letter kinds in the order they are sent.

    `source` says why the ladder looks like this (the rule or guidance behind it).
    """

    id: str
    title: str
    rungs: tuple[str, ...]
    source: str


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _builtin_text() -> tuple[str, str]:
    """The shipped ladders file as (name for messages, text).

    Installed, ``letter_templates/`` is the package ``paperwork.letter_templates``;
    in a checkout that is not installed it sits beside ``paperwork/``.
    """
    try:
        from paperwork.core.resources import templates_root

        resource = templates_root() / LADDERS_FILE
        if resource.is_file():
            return str(resource), resource.read_text(encoding="utf-8")
    except (ModuleNotFoundError, TypeError, FileNotFoundError):
        pass
    path = Path(__file__).parent.parent / "letter_templates" / LADDERS_FILE
    try:
        return str(path), path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LadderError(f"{path}: cannot read the built-in ladders: {exc.strerror}") from None


@cache
def _builtin_ladders() -> Mapping[str, Ladder]:
    """The built-in ladders, read once per process."""
    name, text = _builtin_text()
    return _parse_ladders(name, text)


def _parse_ladders(name: str, text: str) -> dict[str, Ladder]:
    """Parse and validate one ladders TOML document; `name` is used in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LadderError(f"{name}: not valid TOML: {exc}") from None

    unknown = sorted(set(data) - {"ladders"})
    if unknown:
        raise LadderError(
            f"{name}: unknown key '{unknown[0]}': put each ladder under [ladders.<id>]"
        )
    tables = data.get("ladders", {})
    if not isinstance(tables, dict):
        raise LadderError(f"{name}: ladders: must be tables like [ladders.<id>]")

    ladders: dict[str, Ladder] = {}
    for ladder_id, table in tables.items():
        ladders[ladder_id] = _parse_ladder(name, ladder_id, table)
    return ladders


def _parse_ladder(name: str, ladder_id: str, table: Any) -> Ladder:
    """Validate one [ladders.<id>] table and build its `Ladder`."""
    where = f"{name}: ladder '{ladder_id}'"
    if not _ID_RE.fullmatch(ladder_id):
        raise LadderError(f"{where}: the id must be lower case letters, digits and _")
    if not isinstance(table, dict):
        raise LadderError(f"{where}: must be a table with title, rungs and source")
    unknown = sorted(set(table) - _LADDER_KEYS)
    if unknown:
        raise LadderError(f"{where}: unknown key '{unknown[0]}' (use title, rungs, source)")

    rungs = table.get("rungs")
    if (
        not isinstance(rungs, list)
        or not rungs
        or not all(isinstance(rung, str) and _ID_RE.fullmatch(rung) for rung in rungs)
    ):
        raise LadderError(f"{where}: rungs: must be a list of letter kinds")
    seen: set[str] = set()
    for rung in rungs:
        if rung in seen:
            raise LadderError(f"{where}: rungs: '{rung}' appears more than once")
        seen.add(rung)

    title = table.get("title", ladder_id)
    if not isinstance(title, str) or not title.strip():
        raise LadderError(f"{where}: title: must be a non-empty string")
    source = table.get("source", "")
    if not isinstance(source, str):
        raise LadderError(f"{where}: source: must be a string")

    return Ladder(id=ladder_id, title=title.strip(), rungs=tuple(rungs), source=source.strip())


def load_ladders(user_dir: Path | None = None) -> dict[str, Ladder]:
    """All ladders by id: the built-in ones, then those in `user_dir`.

    Every ``*.toml`` file in `user_dir` (read in name order; the folder need not
    exist) adds ladders or replaces built-in ones with the same id. A malformed
    file raises `LadderError` with a one-line message naming the file and key.
    """
    ladders = dict(_builtin_ladders())
    if user_dir is None:
        return ladders
    user_dir = Path(user_dir)
    if not user_dir.exists():
        return ladders
    if not user_dir.is_dir():
        raise LadderError(f"{user_dir}: is not a folder of ladder files")
    for path in sorted(user_dir.glob("*.toml")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise LadderError(f"{path}: cannot read: {reason}") from None
        ladders.update(_parse_ladders(str(path), text))
    return ladders


# --------------------------------------------------------------------------
# Climbing
# --------------------------------------------------------------------------


def next_rung(ladder: Ladder, sent_kinds: Iterable[str]) -> str | None:
    """The letter kind that comes next on `ladder`, or None at the top.

    That is the rung after the highest rung already sent (kinds not on this
    ladder are ignored), or the first rung if none has been sent.
    """
    position = {rung: index for index, rung in enumerate(ladder.rungs)}
    highest = max((position[kind] for kind in sent_kinds if kind in position), default=-1)
    if highest + 1 >= len(ladder.rungs):
        return None
    return ladder.rungs[highest + 1]


def schedule_next(
    ladder: Ladder,
    sent_kinds: Iterable[str],
    deadline: Deadline,
    gate: date | None,
) -> tuple[str, date] | None:
    """The next rung and the day it is due, or None at the top of the ladder.

    The next letter is due on the first business day after the last letter's
    deadline (docs/DESIGN.md §6.5). A regulator rung is never due before `gate`, the day
    the regulator will take the complaint (e.g. FOS after 8 weeks, FCA DISP
    1.6.2R); a gate that falls on a non-business day is rolled forward in the
    deadline's jurisdiction.
    """
    rung = next_rung(ladder, sent_kinds)
    if rung is None:
        return None
    due = deadline.next_due
    if gate is not None and rung in REGULATOR_RUNGS:
        if deadline.jurisdiction:
            gate = BusinessCalendar(deadline.jurisdiction).roll_forward(gate)
        due = max(due, gate)
    return rung, due
