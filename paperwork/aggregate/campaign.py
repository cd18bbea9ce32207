"""Campaigns: many people write to the same company, each with their own letter.

A campaign file is a case file without the personal parts; a members CSV gives
one row per person, with case-file keys as columns (nested keys joined by dots,
docs/DESIGN.md §5). Each row is merged into the campaign and checked by the same
``CaseFileSchema`` as a case file, so a member's mistake reads exactly like a
case file's: ``members.csv: row 3: sender.email: 'x' is not a valid e-mail address.``

Rendering streams: rows are read one at a time, sent to worker processes in
small chunks with a bounded number in flight, and results are written out as
they come back, so memory does not grow with the number of rows.

Letters vary their wording per member: equivalent openings, linking phrases and
closings are picked deterministically from the member (a SHA-256 of name and
address), so a company receives many letters, not one letter many times, and
the same member always gets the same letter.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import errno
import hashlib
import io
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from marshmallow import ValidationError, fields, post_load

from paperwork.core.controls import csv_row, csv_uncell
from paperwork.core.errors import UserError, flatten_messages
from paperwork.core.i18n import _
from paperwork.core.model import Case, LetterDocument
from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file

# The personal columns, in the order the template writes them (docs/DESIGN.md §5).
MEMBER_COLUMNS = (
    "sender.name",
    "sender.address",
    "sender.country",
    "sender.email",
    "sender.phone",
    "account_number",
    "references",
    "amount.value",
    "amount.currency",
)
# Columns whose cell holds several lines (one address line per line of the cell).
LINE_COLUMNS = ("sender.address", "company.address")
# Columns whose cell holds a list separated by ";".
LIST_COLUMNS = ("references",)
# Case-file keys that are lists of objects cannot be one cell; they belong in the campaign.
NOT_A_COLUMN = ("facts", "contacts")

REPORT_NAME = "refused.csv"
INDEX_NAME = "letters.csv"
CHUNK_ROWS = 16
# Worker processes are replaced after this many rows (see _run_pool).
ROWS_PER_POOL = 2000


def allowed_columns() -> tuple[str, ...]:
    """Every column a members file may have: the case file's scalar keys, dotted."""
    columns: list[str] = []
    for name, field_obj in CaseFileSchema().fields.items():
        if name in NOT_A_COLUMN:
            continue
        if isinstance(field_obj, fields.Nested):
            nested = field_obj.schema
            columns += [f"{name}.{sub}" for sub in nested.fields]
        else:
            columns.append(name)
    return tuple(columns)


def template_csv() -> bytes:
    """An example members file with every personal column and two members."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(MEMBER_COLUMNS))
    writer.writerow(
        csv_row(
            [
                "Jordan Rivera",
                "12 Elm Street, Apt 3\nSpringfield, IL 62704",
                "US",
                "jordan@example.org",
                "+1 217 555 0100",
                "4471-9920",
                "Ticket 88812;Case 1001",
                "89.99",
                "USD",
            ]
        )
    )
    writer.writerow(
        csv_row(
            [
                "Sam Okafor",
                "400 Oak Avenue\nSpringfield, IL 62702",
                "US",
                "sam@example.net",
                "",
                "5520-1187",
                "",
                "45.00",
                "USD",
            ]
        )
    )
    return buffer.getvalue().encode("utf-8")


def load_campaign(path: Path) -> dict:
    """Read and check a campaign file; returns its raw data for merging rows into."""
    data = read_structured_file(path)
    load_with(CaseFileSchema(), data, str(path))  # refuses a bad campaign as a whole
    return data


# ---------------------------------------------------------------------------
# Rows


def _cells_to_data(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as nested case-file data; empty cells are left out ("not given")."""
    data: dict[str, Any] = {}
    for column, cell in row.items():
        if cell is None or not cell.strip():
            continue
        if column in LINE_COLUMNS:
            value: Any = [
                line.strip() for line in cell.replace("\r\n", "\n").split("\n") if line.strip()
            ]
        elif column in LIST_COLUMNS:
            value = [item.strip() for item in cell.split(";") if item.strip()]
        else:
            value = cell
        head, _dot, tail = column.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[head] = value
    return data


def merge_member(campaign: dict, member: dict[str, Any]) -> dict:
    """The campaign with one member's values on top (nested keys merged)."""
    merged = copy.deepcopy(campaign)
    for key, value in member.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def check_member(merged: dict) -> tuple[Case | None, list[tuple[str, str]]]:
    """Validate merged member data; returns the case or (field, message) problems."""
    try:
        case = CaseFileSchema().load(merged)
    except ValidationError as exc:
        return None, [_split(line) for line in flatten_messages(exc.messages)]
    if case.sender is None:
        return None, [("sender.name", _("Missing data for required field."))]
    return case, []


class MemberChecker:
    """``check_member`` for many rows of one campaign, at a fraction of the cost.

    The campaign was checked as a whole when it was read, so a member row can only
    go wrong in the top-level keys it sets: only those are loaded (by the case
    file's own fields and validators, so a problem reads exactly as
    ``check_member``'s), and the rest of the case is the campaign's, loaded once.
    """

    def __init__(self, campaign: dict):
        self.campaign = campaign
        self.base: Case = CaseFileSchema().load(campaign)
        self._schemas: dict[tuple[str, ...], Any] = {}

    def _schema(self, keys: tuple[str, ...]):
        schema = self._schemas.get(keys)
        if schema is None:
            schema = self._schemas[keys] = _MemberPartSchema(only=keys)
        return schema

    def check(self, member: dict[str, Any]) -> tuple[Case | None, list[tuple[str, str]]]:
        """Like ``check_member(merge_member(campaign, member))``."""
        part = {}
        for key, value in member.items():
            known = self.campaign.get(key)
            # a nested key merges into the campaign's (as merge_member does)
            part[key] = (
                {**known, **value} if isinstance(value, dict) and isinstance(known, dict) else value
            )
        try:
            loaded = self._schema(tuple(part)).load(part) if part else {}
        except ValidationError as exc:
            return None, [_split(line) for line in flatten_messages(exc.messages)]
        case = replace(self.base, **loaded)
        if case.sender is None:
            return None, [("sender.name", _("Missing data for required field."))]
        return case, []


class _MemberPartSchema(CaseFileSchema):
    """Some of the case file's keys, loaded as a dict (for MemberChecker)."""

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return data


def _split(line: str) -> tuple[str, str]:
    head, sep, tail = line.partition(": ")
    if sep and " " not in head:
        return head, tail
    return "", line


def problem_line(source: str, row: int, field_name: str, message: str) -> str:
    """``members.csv: row 3: sender.email: ...`` (the header is row 1)."""
    return (
        _("{source}: row {row}: {field}: {message}").format(
            source=source, row=row, field=field_name, message=message
        )
        if field_name
        else _("{source}: row {row}: {message}").format(source=source, row=row, message=message)
    )


def _delimiter(header_line: str) -> str:
    """Comma, unless the header clearly uses another separator: spreadsheets in
    many European locales save "CSV" with semicolons (or tabs)."""
    if "," in header_line:
        return ","
    for candidate in (";", "\t"):
        if candidate in header_line:
            return candidate
    return ","


@dataclass
class MemberRow:
    """One row of the members file: its number (header = 1) and cells."""

    number: int
    cells: dict[str, str]
    problems: list[tuple[str, str]]


def _not_utf8(exc: UnicodeDecodeError) -> str:
    return _(
        "is not UTF-8 text (byte {start}); re-save it as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)."
    ).format(start=exc.start)


class MembersFile:
    """A members CSV read one row at a time; the header is checked on opening."""

    def __init__(self, path: Path):
        self.path = path
        self.source = str(path)
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                first = handle.readline()
                self.delimiter = _delimiter(first)
                header = next(csv.reader([first], delimiter=self.delimiter), None)
        except FileNotFoundError:
            raise UserError(_("no such file."), source=self.source) from None
        except IsADirectoryError:
            raise UserError(_("is a folder, not a file."), source=self.source) from None
        except UnicodeDecodeError as exc:
            raise UserError(_not_utf8(exc), source=self.source) from None
        except csv.Error as exc:
            raise UserError(_("row 1: {exc}.").format(exc=exc), source=self.source) from None
        if not header:
            raise UserError(
                _("is empty; it needs a header row (see 'paperwork campaign template')."),
                source=self.source,
            )
        self.header = [h.strip() for h in header]
        known = set(allowed_columns())
        problems = []
        seen: set[str] = set()
        for column in self.header:
            if column in seen:
                problems.append(_("row 1: column '{column}' appears twice.").format(column=column))
            seen.add(column)
            if column.split(".")[0] in NOT_A_COLUMN:
                problems.append(
                    _(
                        "row 1: column '{column}': lists such as {key} belong in the campaign file."
                    ).format(column=column, key=column.split(".")[0])
                )
            elif column not in known:
                problems.append(
                    _(
                        "row 1: column '{column}' is not a case-file key; member columns are {columns}."
                    ).format(column=column, columns=", ".join(MEMBER_COLUMNS))
                )
        if problems:
            raise UserError(problems, source=self.source)

    def __iter__(self) -> Iterator[MemberRow]:
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter)
                next(reader, None)
                number = 1
                for cells in reader:
                    number += 1
                    if not any(c.strip() for c in cells):
                        continue  # a blank line is not a member
                    problems = []
                    if len(cells) != len(self.header):
                        problems.append(
                            (
                                "",
                                _("has {cells} cells but the header has {columns} columns.").format(
                                    cells=len(cells), columns=len(self.header)
                                ),
                            )
                        )
                    row = {
                        col: (csv_uncell(cells[i]) if i < len(cells) else "")
                        for i, col in enumerate(self.header)
                    }
                    yield MemberRow(number, row, problems)
        except UnicodeDecodeError as exc:
            raise UserError(_not_utf8(exc), source=self.source) from None
        except csv.Error as exc:
            raise UserError(
                _("broken CSV after row {number}: {exc}.").format(number=number, exc=exc),
                source=self.source,
            ) from None

    def count(self) -> int:
        """How many member rows there are (a streaming pass, for the progress bar)."""
        return sum(1 for _row in self)


# ---------------------------------------------------------------------------
# Wording variants


def member_seed(*parts: str) -> int:
    """A stable number from text (unlike ``hash()``, the same in every process)."""
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


# Equivalent phrasings per language. Each entry is (phrase as the template writes
# it, alternatives including the original); the first occurrence in a paragraph
# is replaced. Every alternative must fit the same sentence grammatically.
PHRASES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "en": [
        (
            "I am writing to make a formal complaint",
            (
                "I am writing to make a formal complaint",
                "I wish to make a formal complaint",
                "I write to make a formal complaint",
                "I am writing today to make a formal complaint",
            ),
        ),
        (
            "The facts, in date order:",
            (
                "The facts, in date order:",
                "What has happened, in date order:",
                "Here is what happened, in date order:",
            ),
        ),
        (
            "My contacts with you so far:",
            (
                "My contacts with you so far:",
                "How I have tried to settle this so far:",
                "My calls and letters to you so far:",
            ),
        ),
        (
            "Please reply in writing by",
            (
                "Please reply in writing by",
                "Please send me your written reply by",
                "I ask for your written reply by",
            ),
        ),
        (
            "If the matter is not resolved by then,",
            (
                "If the matter is not resolved by then,",
                "If it is not resolved by that date,",
                "Without a resolution by then,",
            ),
        ),
        (
            "The amount in question is",
            ("The amount in question is", "The disputed amount is", "The sum at stake is"),
        ),
        (
            "I enclose copies of the documents listed below and have kept the originals.",
            (
                "I enclose copies of the documents listed below and have kept the originals.",
                "Copies of the documents listed below are enclosed; I have kept the originals.",
            ),
        ),
        ("I am writing to", ("I am writing to", "I write to", "I am writing today to")),
        (
            "The facts, in order:",
            (
                "The facts, in order:",
                "What has happened, in order:",
                "Here is what happened, in date order:",
            ),
        ),
        (
            "What has happened so far:",
            ("What has happened so far:", "The facts so far:", "Here is what has happened so far:"),
        ),
        (
            "To resolve this, I ask you to do the following:",
            (
                "To resolve this, I ask you to do the following:",
                "To put this right, please do the following:",
                "I ask you to resolve this as follows:",
            ),
        ),
        (
            "Please send me your written response by",
            (
                "Please send me your written response by",
                "Please reply to me in writing by",
                "I ask for your written reply by",
            ),
        ),
        (
            "If I have not heard from you by then,",
            (
                "If I have not heard from you by then,",
                "If I do not hear from you by that date,",
                "Without a reply by then,",
            ),
        ),
        (
            "Thank you for your prompt attention to this matter.",
            (
                "Thank you for your prompt attention to this matter.",
                "Thank you for dealing with this promptly.",
                "I look forward to your prompt reply.",
                "Thank you in advance for your prompt reply.",
            ),
        ),
        (
            "I have enclosed copies of the relevant documents and kept the originals.",
            (
                "I have enclosed copies of the relevant documents and kept the originals.",
                "Copies of the relevant documents are enclosed; I have kept the originals.",
            ),
        ),
        (
            "I am following up on my",
            (
                "I am following up on my",
                "I am writing again about my",
                "This letter follows up on my",
            ),
        ),
    ],
    "de": [
        ("hiermit", ("hiermit", "mit diesem Schreiben")),
    ],
    "fr": [],
    "es": [],
}

# Closings per locale, each one correct with the locale's salutation (a French
# closing repeats the salutation; a British "Dear Sir or Madam" takes "Yours faithfully").
CLOSINGS: dict[str, tuple[str, ...]] = {
    "en_US": ("Sincerely,", "Sincerely yours,", "Yours truly,", "Respectfully,"),
    "en_GB": ("Yours faithfully",),
    "de_DE": ("Mit freundlichen Grüßen", "Freundliche Grüße"),
    "fr_FR": (
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "Je vous prie de recevoir, Madame, Monsieur, mes salutations distinguées.",
    ),
    "es_ES": ("Atentamente,", "Un cordial saludo,", "Reciba un cordial saludo,"),
}


def vary(doc: LetterDocument, member_key: str) -> LetterDocument:
    """``doc`` with equivalent wording picked for this member (deterministic)."""
    phrases = PHRASES.get(doc.locale[:2], [])
    paragraphs = []
    for index, paragraph in enumerate(doc.paragraphs):
        for slot, (phrase, options) in enumerate(phrases):
            if phrase in paragraph:
                pick = options[member_seed(member_key, str(slot), str(index)) % len(options)]
                paragraph = paragraph.replace(phrase, pick, 1)
        paragraphs.append(paragraph)
    closing = doc.closing
    closings = CLOSINGS.get(doc.locale)
    if closings and doc.closing in closings:
        closing = closings[member_seed(member_key, "closing") % len(closings)]
    return replace(doc, paragraphs=paragraphs, closing=closing)


def member_key(case: Case) -> str:
    """What makes a member themselves: name and address (two Jordan Riveras differ)."""
    sender = case.sender
    assert sender is not None
    return "\n".join([sender.name, *sender.address])


def member_id(case: Case) -> str:
    """A member's stable key across runs: name, address and account number
    (the same person with two accounts writes two letters)."""
    text = "\x1f".join([member_key(case).casefold(), case.account_number])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def campaign_id(campaign: dict, kind_id: str) -> str:
    """A campaign's stable key: the letter kind, the company and the title."""
    company = campaign.get("company") or {}
    parts = [kind_id, str(company.get("name", "")), str(campaign.get("title", ""))]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------------------
# Rendering (runs in worker processes)


@dataclass(frozen=True)
class Job:
    """What every worker needs to know, sent once when it starts."""

    home: str
    campaign: dict
    kind: str
    today: date
    out_dir: str
    track: bool


_WORKER: dict[str, Any] = {}


_NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def init_worker(job: Job, in_pool: bool = False) -> None:
    """Set up a worker process: its own catalog, ladders and config. A pool's
    workers leave Ctrl-C to the main process, which lets the chunks in hand
    finish and records them before it stops."""
    from paperwork.services.session import Paperwork

    if in_pool:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    pw = Paperwork(Path(job.home))
    _WORKER.clear()
    _WORKER.update(
        job=job,
        pw=pw,
        kind=pw.catalog.get(job.kind),
        ladders=pw.ladders,
        checker=MemberChecker(job.campaign),
    )


def warm_before_fork(pw, job: Job) -> None:
    """Import the renderers and make what every letter shares (fonts, paragraph
    styles, the compiled DOCX layout) in the main process, once: workers started
    by fork inherit it all instead of each doing it again. Best effort: a problem
    here is left for the workers to meet, row by row."""
    with contextlib.suppress(Exception):
        import paperwork.letters.compose  # noqa: F401
        from paperwork.render.docx import compiled_layout
        from paperwork.render.pdf import _compact_styles, register_upright_fonts
        from paperwork.render.platypus import import_platypus
        from paperwork.services.letters import _layout_for_locale

        import_platypus()
        register_upright_fonts()
        _compact_styles()
        locale = job.campaign.get("locale")
        if isinstance(locale, str):
            compiled_layout(_layout_for_locale(pw, locale).name)


def render_chunk(rows: list[MemberRow]) -> list[tuple]:
    """Check, compose, vary and render each row; returns one small tuple per row:
    ``(row, "ok", name, pdf, docx, case|None, letter|None)`` or
    ``(row, "refused", name, [(field, message), ...])``."""
    results = []
    for row in rows:
        try:
            results.append(_render_row(row))
        except UserError as exc:
            results.append(
                (
                    row.number,
                    "refused",
                    row.cells.get("sender.name", ""),
                    [_split(p) for p in exc.problems],
                )
            )
        except OSError as exc:
            if exc.errno in _NO_SPACE:
                raise  # stops the run: a full disk is not this row's fault
            results.append(_unexpected(row, exc))
        except Exception as exc:  # one broken row must not stop the others
            results.append(_unexpected(row, exc))
    return results


def _unexpected(row: MemberRow, exc: Exception) -> tuple:
    message = _("could not be rendered (unexpected error: {error}: {detail}).").format(
        error=type(exc).__name__, detail=exc
    )
    return (row.number, "refused", row.cells.get("sender.name", ""), [("", message)])


def _render_row(row: MemberRow) -> tuple:
    from paperwork.core.deadlines import parse_window, response_deadline
    from paperwork.core.model import Letter
    from paperwork.letters.compose import compose, missing_needs
    from paperwork.render import render_letter
    from paperwork.services.letters import check_printable, layout_for, window_fits
    from paperwork.store.files import atomic_write, safe_stem

    job: Job = _WORKER["job"]
    pw = _WORKER["pw"]
    kind = _WORKER["kind"]
    name = row.cells.get("sender.name", "")
    if row.problems:
        return (row.number, "refused", name, row.problems)
    case, problems = _WORKER["checker"].check(_cells_to_data(row.cells))
    if case is None:
        return (row.number, "refused", name, problems)
    if case.ladder not in _WORKER["ladders"]:
        problems.append(
            (
                "ladder",
                _("unknown ladder '{ladder}'; known: {known}.").format(
                    ladder=case.ladder, known=", ".join(sorted(_WORKER["ladders"]))
                ),
            )
        )
    if not kind.applies_to(case.jurisdiction):
        problems.append(
            (
                "jurisdiction",
                _("letter kind '{kind}' does not apply in {jurisdiction}.").format(
                    kind=kind.id, jurisdiction=case.jurisdiction
                ),
            )
        )
    if case.locale not in kind.locales:
        problems.append(
            (
                "locale",
                _(
                    "letter kind '{kind}' is not written in {locale}; it is available in: {locales}."
                ).format(kind=kind.id, locale=case.locale, locales=", ".join(kind.locales)),
            )
        )
    for need in missing_needs(case, kind):
        problems.append(
            (need, _("the member must give this for a {kind} letter.").format(kind=kind.id))
        )
    if problems:
        return (row.number, "refused", name, problems)
    rule = kind.window_for(case.jurisdiction)[1]
    window = parse_window(rule.window)
    channel = {
        "registered": "registered",
        "certified": "certified",
        "ordinary": "post",
        "email": "email",
    }.get(kind.delivery_for(case.jurisdiction), "post")
    reply_by = response_deadline(job.today, channel, case.jurisdiction, window).deadline
    assert case.sender is not None
    doc = compose(
        case,
        kind,
        catalog=pw.catalog,
        sender=case.sender,
        locale=case.locale,
        today=job.today,
        reply_by=reply_by,
        user_regulators=pw.user_regulators,
        # a long name or address line is broken to fit the envelope window, as in
        # a case letter
        fits=window_fits(pw, case.locale),
    )
    doc = vary(doc, member_key(case))
    check_printable(pw, doc)  # the same refusal as a single letter's
    letter = Letter(
        case_id=0,
        kind=kind.id,
        locale=case.locale,
        drafted_on=job.today,
        window=str(window),
        document=doc,
    )
    layout = layout_for(pw, letter)
    stem = f"{row.number:05d}-{safe_stem(kind.id)}-{safe_stem(case.sender.name, 40)}"
    out = Path(job.out_dir)
    paths = []
    made = False
    for fmt in ("pdf", "docx"):
        path = out / f"{stem}.{fmt}"
        # a rerun finishes what is missing: a letter already written (whole, by
        # rename) for this row and member is kept, not rendered again
        if not _is_whole(path):
            atomic_write(path, render_letter(doc, layout, fmt), durable=False)  # synced at the end
            made = True
        paths.append(str(path))
    return (
        row.number,
        "ok",
        case.sender.name,
        paths[0],
        paths[1],
        case if job.track else None,
        letter if job.track else None,
        member_id(case),
        made,
    )


def _is_whole(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


# ---------------------------------------------------------------------------
# The whole run (main process)


@dataclass
class CampaignResult:
    """Counts of a campaign run and where its reports are."""

    rendered: int
    refused: int
    report: Path
    index: Path
    cases: int = 0
    kept: int = 0  # letters already there from an earlier run (not made again)


class CampaignInterrupted(UserError):
    """A run stopped part-way (Ctrl-C, a signal, a full disk): says exactly what
    was done; running the same command again finishes the rest."""

    def __init__(self, lines: list[str], exit_code: int):
        super().__init__(lines)
        self.exit_code = exit_code


INDEX_HEADER = ["row", "member", "sender.name", "pdf", "docx", "case", "letter"]
REPORT_HEADER = ["row", "sender.name", "field", "problem"]
TRACK_PREFIX = "campaign-member"
WRITE_EVERY_SECONDS = 5.0


def _csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(row))
    return buffer.getvalue().encode("utf-8")


def _earlier_index(out_dir: Path) -> dict[int, list[Any]]:
    """The letters an earlier run listed whose files are still there, by row."""
    path = out_dir / INDEX_NAME
    done: dict[int, list[Any]] = {}
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != INDEX_HEADER:
                return {}
            for cells in reader:
                if len(cells) != len(INDEX_HEADER) or not cells[0].isdigit():
                    continue
                cells = [csv_uncell(c) for c in cells]
                if _is_whole(out_dir / cells[3]) and _is_whole(out_dir / cells[4]):
                    done[int(cells[0])] = cells
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return done


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files a killed run left behind (letters are renamed into place whole)."""
    for leftover in out_dir.glob(".*.part"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def run_campaign(
    pw,
    campaign_path: Path,
    members_path: Path,
    kind_id: str,
    out_dir: Path,
    today: date,
    *,
    track: bool = False,
    jobs: int | None = None,
    on_total: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_refused: Callable[[str], None] | None = None,
) -> CampaignResult:
    """Render a letter of ``kind_id`` for every good member row into ``out_dir``.

    Refused rows go to ``refused.csv`` (one line per problem) and to
    ``on_refused``; rendered ones to ``letters.csv``. With ``track`` each member
    becomes a case with the letter as its draft, so ``due`` follows them.

    Resumable and idempotent: a member's letter already in ``out_dir`` is kept,
    and a member already tracked (keyed by name, address and account number, in
    the same transaction as their case) gets no second case. An interruption
    writes both reports for what exists and raises :class:`CampaignInterrupted`.
    """
    import time

    from paperwork.store.files import atomic_write, ensure_output_dir, sync_folder

    campaign = load_campaign(campaign_path)
    members = MembersFile(members_path)
    pw.catalog.get(kind_id)  # an unknown kind is refused before any work
    if track:
        pw.ladders  # noqa: B018 - a broken user ladder is refused before any work
        pw.store.refuse_if_read_only()
    ensure_output_dir(out_dir)
    _remove_leftovers(out_dir)
    total = members.count()
    if on_total:
        on_total(total)
    jobs = max(1, jobs or os.cpu_count() or 1)
    job = Job(str(pw.home), campaign, kind_id, today, str(out_dir), track)
    prefix = f"{TRACK_PREFIX}.{campaign_id(campaign, kind_id)}."
    index: dict[int, list[Any]] = _earlier_index(out_dir)
    report: list[list[Any]] = []
    counts = {"rendered": 0, "refused": 0, "cases": 0, "kept": 0, "seen": 0}
    last_write = [time.monotonic()]

    def write_reports() -> None:
        rows = [index[number] for number in sorted(index)]
        atomic_write(out_dir / INDEX_NAME, _csv_bytes(INDEX_HEADER, rows), durable=False)
        atomic_write(out_dir / REPORT_NAME, _csv_bytes(REPORT_HEADER, report), durable=False)

    def tracked_ids(results: list[tuple]) -> dict[int, tuple[int, int]]:
        tracked = [r for r in results if r[1] == "ok" and r[5] is not None]
        ids: dict[int, tuple[int, int]] = {}
        if not tracked:
            return ids
        with pw.store.transaction():
            for r in tracked:
                key = prefix + r[7]
                known = pw.store.get_setting(key)
                if known:
                    ids[r[0]] = (int(known[0]), int(known[1]))
                    continue
                case, letter = r[5], r[6]
                case_id = pw.store.add_case(case, today)
                letter.case_id = case_id
                ids[r[0]] = (case_id, pw.store.add_letter(letter))
                pw.store.set_setting(key, list(ids[r[0]]))
                counts["cases"] += 1
        return ids

    def take(results: list[tuple]) -> None:
        ids = tracked_ids(results)
        for r in results:
            counts["seen"] += 1
            if r[1] == "ok":
                if not r[8]:
                    counts["kept"] += 1
                else:
                    counts["rendered"] += 1
                case_id, letter_id = ids.get(r[0], ("", ""))
                index[r[0]] = [
                    r[0],
                    r[7],
                    r[2],
                    Path(r[3]).name,
                    Path(r[4]).name,
                    case_id,
                    letter_id,
                ]
            else:
                counts["refused"] += 1
                index.pop(r[0], None)
                for field_name, message in r[3]:
                    report.append([r[0], r[2], field_name, message])
                    if on_refused:
                        on_refused(problem_line(members.source, r[0], field_name, message))
        if on_progress:
            on_progress(len(results))
        if time.monotonic() - last_write[0] > WRITE_EVERY_SECONDS:
            write_reports()  # letters.csv stays whole and current, even if killed
            last_write[0] = time.monotonic()

    stop = _Stop()
    try:
        with stop.deferring():
            # small chunks for small campaigns, so every core gets work
            size = max(1, min(CHUNK_ROWS, total // (jobs * 4)))
            if jobs == 1 or total <= 1:
                init_worker(job)
                for chunk in _chunks(members, 1):  # one row at a time: an interruption loses none
                    take(render_chunk(chunk))
                    stop.check()
            else:
                _run_pool(pw, job, members, jobs, size, take, stop)
            write_reports()
            sync_folder(out_dir)  # the letters were written without a flush each
    except (KeyboardInterrupt, OSError, _broken_pool()) as exc:
        raise _interrupted(exc, counts, total, track, write_reports, out_dir) from None
    return CampaignResult(
        counts["rendered"] + counts["kept"],
        counts["refused"],
        out_dir / REPORT_NAME,
        out_dir / INDEX_NAME,
        counts["cases"],
        counts["kept"],
    )


class _Stop:
    """Ctrl-C and termination signals, deferred to the next row boundary: a row's
    letter, its case and its line in letters.csv are made together or not at all."""

    def __init__(self) -> None:
        self.requested = False

    @contextlib.contextmanager
    def deferring(self) -> Iterator[None]:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def request(signum, frame) -> None:
            self.requested = True

        saved = {sig: signal.signal(sig, request) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    def check(self) -> None:
        if self.requested:
            raise KeyboardInterrupt


def _broken_pool() -> type[BaseException]:
    from concurrent.futures.process import BrokenProcessPool

    return BrokenProcessPool


def _interrupted(
    exc: BaseException,
    counts: dict[str, int],
    total: int,
    track: bool,
    write_reports: Callable[[], None],
    out_dir: Path,
) -> CampaignInterrupted:
    full = isinstance(exc, OSError) and exc.errno in _NO_SPACE
    if isinstance(exc, OSError) and not full and not isinstance(exc, _broken_pool()):
        raise exc
    try:
        write_reports()
        listed = _("listed in {index}").format(index=out_dir / INDEX_NAME)
    except OSError:
        listed = _("{index} could not be updated (no space); the next run writes it").format(
            index=out_dir / INDEX_NAME
        )
    _remove_leftovers(out_dir)
    why = _("the disk is full") if full else _("interrupted")
    lines = [
        _(
            "campaign stopped ({why}) after {done} of {total} row(s): {rendered} letter(s) written now, {kept} kept from before, {refused} row(s) refused, {cases} case(s) created; {listed}."
        ).format(
            why=why,
            done=counts["seen"],
            total=total,
            rendered=counts["rendered"],
            kept=counts["kept"],
            refused=counts["refused"],
            cases=counts["cases"] if track else 0,
            listed=listed,
        ),
        _(
            "Run the same command again to finish the other {left} row(s); nothing already done is made twice."
        ).format(left=max(0, total - counts["seen"])),
    ]
    return CampaignInterrupted(lines, 2 if full else 130)


def _chunks(rows: MembersFile, size: int) -> Iterator[list[MemberRow]]:
    chunk: list[MemberRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _result(future, stop: _Stop) -> list[tuple]:
    """A chunk's results, waiting in short slices so a stop request is seen."""
    from concurrent.futures import wait

    while not wait([future], timeout=0.1).done:
        stop.check()
    return future.result()


def _run_pool(
    pw,
    job: Job,
    members: MembersFile,
    jobs: int,
    size: int,
    take: Callable[[list[tuple]], None],
    stop: _Stop,
) -> None:
    """Chunks of rows to ``jobs`` processes, at most 2 chunks per process in flight,
    results taken in row order as they complete.

    The renderers keep small caches that grow by a few kilobytes per letter, so
    the workers are replaced every ROWS_PER_POOL rows: memory stays flat for a
    campaign of any size.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if context.get_start_method() == "fork":
        warm_before_fork(pw, job)
    chunks = _chunks(members, size)
    per_pool = max(1, ROWS_PER_POOL // size)
    while True:
        pending: deque = deque()
        submitted = 0
        pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=init_worker, initargs=(job, True)
        )
        try:
            for chunk in chunks:
                stop.check()
                pending.append(pool.submit(render_chunk, chunk))
                submitted += 1
                if len(pending) >= jobs * 2:
                    take(_result(pending[0], stop))
                    pending.popleft()
                if submitted >= per_pool:
                    break
            while pending:
                take(_result(pending[0], stop))
                pending.popleft()
        except BaseException:
            # stop handing out work, but record the chunks already being rendered,
            # so letters.csv lists every letter that exists
            for future in pending:
                future.cancel()
            for future in pending:
                if not future.cancelled():
                    with contextlib.suppress(BaseException):
                        take(future.result())
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        if submitted < per_pool:
            return
