"""Use cases: what a person does with Paperwork, for the CLI and the TUI alike.

Each public method of :class:`Paperwork` is one unit of work in one database
transaction; neither front end holds rules of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import i18n
from .catalog import Catalog, LetterKind, find_authority
from .compose import History, apply_edit, compose, editable_text, missing_needs, printable_text
from .config import Config
from .deadlines import WindowError, format_day, parse_window
from .errors import UserError
from .files import atomic_write, ensure_output_dir, safe_stem
from .i18n import _
from .ladder import Ladder, LadderError, load_ladders
from .model import CHANNELS, Case, Event, Letter, Party
from .schedule import CasePlan, NextStep, plan_case
from .schema import CaseFileSchema, load_with
from .store import Store
from .tally import Tally, pressure_tally

STALLING_TACTICS = ("call_us", "account_not_found", "policy", "send_id")
DUE_HORIZON_DAYS = 7


@dataclass
class CaseView:
    """A case with its letters, events, deadlines, tally and next step."""

    case: Case
    letters: list[Letter]
    events: list[Event]
    plan: CasePlan
    tally: Tally

    def as_json(self) -> dict[str, Any]:
        """The ``case show --json`` shape of DESIGN §5."""
        clocks = {c.letter.id: c for c in self.plan.clocks}
        letters = []
        for letter in self.letters:
            clock = clocks.get(letter.id)
            letters.append(
                {
                    "id": letter.id,
                    "kind": letter.kind,
                    "status": letter.status,
                    "drafted_on": letter.drafted_on.isoformat(),
                    "sent_on": letter.sent_on.isoformat() if letter.sent_on else None,
                    "via": letter.via or None,
                    "tracking": letter.tracking or None,
                    "delivered_on": letter.delivered_on.isoformat()
                    if letter.delivered_on
                    else None,
                    "deemed_receipt": clock.deadline.deemed_receipt.isoformat() if clock else None,
                    "window": letter.window,
                    "deadline": clock.deadline.deadline.isoformat() if clock else None,
                    "answered_on": clock.answered_on.isoformat()
                    if clock and clock.answered_on
                    else None,
                    "explanation": clock.deadline.explanation if clock else None,
                    "reply_by_in_letter": letter.document.reply_by_iso or None,
                }
            )
        nxt = self.plan.next
        return {
            "id": self.case.id,
            "title": self.case.title,
            "status": self.case.status,
            "company": self.case.company.name,
            "jurisdiction": self.case.jurisdiction,
            "locale": self.case.locale,
            "ladder": self.case.ladder,
            "letters": letters,
            "events": [_event_json(e) for e in self.events],
            "tally": {
                "calls": self.tally.calls,
                "hold_minutes": self.tally.hold_minutes,
                "talk_minutes": self.tally.talk_minutes,
                "letters_sent": self.tally.letters_sent,
                "first_contact": self.tally.first_contact.isoformat()
                if self.tally.first_contact
                else None,
                "days_since_first_contact": self.tally.days_since_first_contact,
                "missed_deadlines": self.tally.missed_deadlines,
            },
            "next": {"kind": nxt.kind, "due": nxt.due.isoformat(), "reason": nxt.reason}
            if nxt
            else None,
        }


def _event_json(event: Event) -> dict[str, Any]:
    """An event for ``case show --json``: its data, with the event's own id, kind and
    day winning (an outcome's "kind" of refund is given as "outcome")."""
    data = dict(event.data)
    if event.kind == "outcome" and "kind" in data:
        data["outcome"] = data.pop("kind")
    return {**data, "id": event.id, "kind": event.kind, "on": event.on.isoformat()}


@dataclass
class DueRow:
    """One line of ``paperwork due``: the next letter a lapsing deadline calls for."""

    case: Case
    step: NextStep
    overdue: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "title": self.case.title,
            "letter": self.step.after_letter,
            "kind": self.step.kind,
            "due": self.step.due.isoformat(),
            "deadline": self.step.deadline.isoformat() if self.step.deadline else None,
            "overdue": self.overdue,
            "reason": self.step.reason,
        }


@dataclass
class Reissued:
    """One step ``reissue`` acted on: the new letter and its files, or why it failed."""

    case: Case
    kind: str
    letter: Letter | None = None
    paths: list[Path] = field(default_factory=list)
    error: str = ""


def _schedule_basis() -> str:
    """What cached due days depend on: the holiday data and Paperwork's rules."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        holidays_version = version("holidays")
    except PackageNotFoundError:  # pragma: no cover
        holidays_version = "?"
    from . import __version__

    return f"paperwork {__version__}; holidays {holidays_version}"


class Paperwork:
    """One data folder and everything a person can do with it."""

    def __init__(self, home: Path):
        self.home = home
        self.config = Config.load(home) if home.is_dir() else Config()
        self._store: Store | None = None
        self._catalog: Catalog | None = None
        self._ladders: dict[str, Ladder] | None = None

    # -- lazily opened parts ------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.home)
        return self._store

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog(self.home / "templates")
        return self._catalog

    @property
    def ladders(self) -> dict[str, Ladder]:
        if self._ladders is None:
            try:
                self._ladders = load_ladders(self.home / "ladders")
            except LadderError as exc:
                raise UserError(str(exc)) from None
        return self._ladders

    @property
    def user_regulators(self) -> Path:
        return self.home / "regulators.toml"

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- profile and cases --------------------------------------------------
    def set_profile(self, party: Party) -> None:
        with self.store.transaction():
            self.store.set_profile(party)

    def profile(self) -> Party | None:
        return self.store.profile()

    def _check_case(self, case: Case, source: str) -> None:
        problems = []
        if case.sender is None and self.store.profile() is None:
            problems.append(
                "sender: Missing data for required field (or save a profile first: paperwork profile set --from FILE)."
            )
        if case.ladder not in self.ladders:
            problems.append(
                f"ladder: unknown ladder '{case.ladder}'; known: {', '.join(sorted(self.ladders))}."
            )
        if problems:
            raise UserError(problems, source=source)

    def new_case(self, case: Case, today: date, source: str = "case") -> int:
        """Store a new case; returns its id."""
        self._check_case(case, source)
        with self.store.transaction():
            return self.store.add_case(case, today)

    def edit_case(self, case_id: int, changes: dict[str, Any], source: str = "case") -> Case:
        """Replace the fields ``changes`` gives (already validated by the partial schema)."""
        with self.store.transaction():
            case = self.store.case(case_id)
            merged = replace(case, **changes)
            self._check_case(merged, source)
            self.store.save_case(merged)
            return merged

    def set_case_status(self, case_id: int, status: str) -> Case:
        with self.store.transaction():
            case = self.store.case(case_id)
            case.status = status
            self.store.save_case(case)
            return case

    def cases(self) -> list[Case]:
        return self.store.cases()

    def sender_for(self, case: Case) -> Party:
        sender = case.sender or self.store.profile()
        if sender is None:
            raise UserError(
                _(
                    "case {id} has no sender and no profile is saved; run 'paperwork profile set --from FILE'."
                ).format(id=case.id)
            )
        return sender

    # -- the schedule ---------------------------------------------------------
    def _gate_window(self, case: Case) -> str | None:
        body = find_authority(case.jurisdiction, case.category, self.user_regulators)
        return body.gate if body and body.gate else None

    def plan(self, case: Case, letters: list[Letter], events: list[Event], today: date) -> CasePlan:
        ladder = self.ladders.get(case.ladder) or self.ladders["standard"]
        return plan_case(
            case,
            letters,
            events,
            ladder,
            today,
            gate_window=self._gate_window(case),
            retention_lead_days=self.config.retention_lead_days,
        )

    def case_view(self, case_id: int, today: date) -> CaseView:
        case = self.store.case(case_id)
        letters = self.store.letters(case_id)
        events = self.store.events(case_id)
        plan = self.plan(case, letters, events, today)
        tally = pressure_tally(case, letters, events, today, plan.missed_deadlines)
        return CaseView(case, letters, events, plan, tally)

    def _rules_fingerprint(self) -> str:
        """What else cached due days depend on: the retention lead, and the ladder and
        regulator files (shipped and the user's), so an edit takes effect at once."""
        import hashlib

        from . import resources

        digest = hashlib.sha256(f"retention_lead_days={self.config.retention_lead_days}".encode())
        for name in ("ladders.toml", "regulators.toml"):
            try:
                digest.update(resources.read_text(name).encode("utf-8"))
            except FileNotFoundError:
                digest.update(b"-")
        ladders = self.home / "ladders"
        user_files = sorted(ladders.glob("*.toml")) if ladders.is_dir() else []
        for path in [*user_files, self.user_regulators]:
            digest.update(b"\0" + path.name.encode("utf-8") + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"-")
        return digest.hexdigest()[:16]

    def due(self, today: date, horizon_days: int = DUE_HORIZON_DAYS) -> list[DueRow]:
        """Next letters due by ``today`` + horizon, for letters still waiting for a reply.

        Only cases whose cached next-due day falls in the horizon (or is unknown
        after a change) are planned, so the cost follows the rows, not the store.
        """
        from datetime import timedelta

        store = self.store
        basis = f"{_schedule_basis()}; rules {self._rules_fingerprint()}"
        computed: dict[int, date | None] = {}
        if store.get_setting("schedule_basis") != basis:
            # another holidays calendar or Paperwork version may count differently
            with store.transaction():
                store.forget_schedule()
                store.set_setting("schedule_basis", basis)
        rows: list[DueRow] = []
        for case_id in store.schedule_candidates(today + timedelta(days=horizon_days)):
            case = store.case(case_id)
            plan = self.plan(case, store.letters(case_id), store.events(case_id), today)
            computed[case_id] = plan.steps[0].due if plan.steps else None
            for step in plan.steps:
                if (step.due - today).days <= horizon_days:
                    rows.append(DueRow(case, step, bool(step.deadline and today > step.deadline)))
        if computed:
            with store.transaction():
                for case_id, day in computed.items():
                    store.set_next_due(case_id, day)
        rows.sort(key=lambda r: (r.step.due, r.case.id, r.step.kind))
        return rows

    # -- letters ------------------------------------------------------------
    def kinds(self) -> list[LetterKind]:
        return sorted(self.catalog.kinds.values(), key=lambda k: (k.rung, k.id))

    def _history(self, case: Case, today: date) -> History:
        letters = self.store.letters(case.id)
        events = self.store.events(case.id)
        sent = [letter for letter in letters if letter.sent_on]
        plan = self.plan(case, letters, events, today)
        return History(
            sent, events, pressure_tally(case, letters, events, today, plan.missed_deadlines)
        )

    def draft_letter(
        self,
        case_id: int,
        kind_id: str,
        today: date,
        locale: str | None = None,
        window: str | None = None,
        tactic: str = "",
    ) -> Letter:
        """Compose and store a new draft of ``kind_id`` for a case (not yet rendered or sent)."""
        letter = self._prepare_letter(case_id, kind_id, today, locale, window, tactic)
        with self.store.transaction():
            self.store.add_letter(letter)
        return letter

    def draft_and_render(
        self,
        case_id: int,
        kind_id: str,
        today: date,
        out_dir: Path,
        formats: tuple[str, ...] = ("pdf", "docx"),
    ) -> tuple[Letter, list[Path]]:
        """Draft a letter and write its files in one transaction: if anything fails or
        the process is killed before the files are in place, no draft is left behind
        (a draft without files would look done to the next ``reissue``)."""
        letter = self._prepare_letter(case_id, kind_id, today, None, None, "")
        ensure_output_dir(out_dir)
        with self.store.transaction():
            self.store.add_letter(letter)
            paths = self.render_letter(letter.id, out_dir, formats)
        return letter, paths

    def reissue(self, today: date, out_dir: Path) -> list[Reissued]:
        """Draft and render the next letter for every step due by ``today``.

        Idempotent: a drafted next letter takes its step off ``due``. One case that
        fails does not stop the others; its row carries the reason.
        """
        ensure_output_dir(out_dir)  # before any draft: a draft without files would be lost
        results = []
        for row in self.due(today, horizon_days=0):
            if row.step.due > today:
                continue
            try:
                letter, paths = self.draft_and_render(row.case.id, row.step.kind, today, out_dir)
            except UserError as exc:
                results.append(Reissued(row.case, row.step.kind, error="; ".join(exc.problems)))
            except Exception as exc:  # unexpected, but the other cases still go out
                error = _("unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")
                results.append(Reissued(row.case, row.step.kind, error=error))
            else:
                results.append(Reissued(row.case, row.step.kind, letter, paths))
        return results

    def _prepare_letter(
        self,
        case_id: int,
        kind_id: str,
        today: date,
        locale: str | None,
        window: str | None,
        tactic: str,
    ) -> Letter:
        """Everything drafting checks and composes, short of storing the letter."""
        from .deadlines import response_deadline

        case = self.store.case(case_id)
        kind = self.catalog.get(kind_id)
        locale = locale or case.locale
        problems = []
        if not kind.applies_to(case.jurisdiction):
            usable = ", ".join(k.id for k in self.catalog.applicable(case.jurisdiction, locale))
            raise UserError(
                _(
                    "letter kind '{kind_id}' does not apply in {jurisdiction}; kinds that do: {usable}."
                ).format(kind_id=kind_id, jurisdiction=case.jurisdiction, usable=usable)
            )
        if locale not in kind.locales:
            raise UserError(
                _(
                    "letter kind '{kind_id}' is not written in {locale}; it is available in: {value}."
                ).format(
                    kind_id=kind_id, locale=locale, value=", ".join(kind.locales) or "no language"
                )
            )
        if kind_id == "stalling_reply" and tactic not in STALLING_TACTICS:
            problems.append(
                f"--tactic: give one of {', '.join(STALLING_TACTICS)} for a stalling_reply."
            )
        elif tactic and kind_id != "stalling_reply":
            problems.append("--tactic: only a stalling_reply answers a tactic.")
        for need in missing_needs(case, kind):
            problems.append(
                f"{need}: the case must give this for a {kind_id} letter (paperwork case edit)."
            )
        if window is None:
            rule = kind.window_for(case.jurisdiction, case.category)[1]
            window = rule.window
        try:
            parsed = parse_window(window)
        except WindowError as exc:
            problems.append(f"--window: {exc}")
            parsed = None
        if problems:
            raise UserError(problems)
        assert parsed is not None
        sender = self.sender_for(case)
        # The reply-by date printed in the letter assumes it goes out today by the
        # kind's usual channel; case show recounts from the real posting date.
        channel = {"registered": "registered", "ordinary": "post", "email": "email"}.get(
            kind.delivery, "post"
        )
        reply_by = response_deadline(today, channel, case.jurisdiction, parsed).deadline
        document = compose(
            case,
            kind,
            catalog=self.catalog,
            sender=sender,
            locale=locale,
            today=today,
            reply_by=reply_by,
            history=self._history(case, today),
            tactic=tactic,
            user_regulators=self.user_regulators,
        )
        self.check_printable(document)
        return Letter(
            case_id=case_id,
            kind=kind_id,
            locale=locale,
            drafted_on=today,
            window=str(parsed),
            document=document,
        )

    def check_printable(self, document) -> None:
        """Refuse text the shipped fonts cannot show, rather than dropping it silently."""
        from .render.pdf import unprintable_characters

        parts = {
            "sender.name": document.sender_name,
            "sender.address": " ".join(document.sender_lines + document.sender_contact),
            "recipient": " ".join(document.recipient_lines),
            "subject": document.subject,
            "text": " ".join([*document.paragraphs, document.salutation, document.closing]),
            "enclosures": " ".join(document.enclosures),
        }
        problems = []
        for name, text in parts.items():
            missing = unprintable_characters(text)
            if missing:
                shown = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
                problems.append(
                    f"{name}: contains characters the letter font cannot print ({shown}); "
                    "write them in Latin, Greek or Cyrillic script."
                )
        if problems:
            raise UserError(problems)

    def letter(self, letter_id: int) -> Letter:
        return self.store.letter(letter_id)

    def letter_text(self, letter_id: int) -> str:
        return printable_text(self.store.letter(letter_id).document)

    def editable_text(self, letter_id: int) -> str:
        return editable_text(self.store.letter(letter_id).document)

    def edit_letter(self, letter_id: int, text: str) -> Letter:
        """Store edited text for a draft; a sent letter is frozen and refused."""
        with self.store.transaction():
            letter = self.store.letter(letter_id)
            if letter.status != "draft":
                raise UserError(
                    _(
                        "letter {letter_id} was sent on {sent_on}; its text is frozen. Draft a new letter instead."
                    ).format(letter_id=letter_id, sent_on=letter.sent_on)
                )
            letter.document = apply_edit(letter.document, text, source=f"letter {letter_id}")
            self.check_printable(letter.document)
            self.store.save_letter(letter)
            return letter

    def layout_for(self, letter: Letter):
        from .render.layouts import layout_named

        default = i18n.conventions(letter.locale)["layout"]
        return layout_named(self.config.layout_for(letter.locale, default))

    def render_bytes(self, letter: Letter, fmt: str) -> bytes:
        """The letter as PDF or DOCX bytes; a sent letter's PDF is the kept copy."""
        if fmt == "pdf" and letter.pdf_sha256:
            kept = self.store.files_dir / f"{letter.pdf_sha256}.pdf"
            if kept.is_file():
                return kept.read_bytes()
        from .render import render_letter

        return render_letter(letter.document, self.layout_for(letter), fmt)

    def output_stem(self, letter: Letter) -> str:
        title = self.store.case_title(letter.case_id)
        return f"{letter.id:04d}-{safe_stem(letter.kind)}-{safe_stem(title, 40)}"

    def render_letter(self, letter_id: int, out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
        """Write the letter's files into ``out_dir``; returns their paths."""
        letter = self.store.letter(letter_id)
        ensure_output_dir(out_dir)
        stem = self.output_stem(letter)
        paths = []
        for fmt in formats:
            data = self.render_bytes(letter, fmt)
            path = out_dir / f"{stem}.{fmt}"
            try:
                atomic_write(path, data)
            except OSError as exc:
                raise UserError(
                    _("{path}: cannot write ({strerror}).").format(path=path, strerror=exc.strerror)
                ) from None
            paths.append(path)
        return paths

    def mark_sent(
        self, letter_id: int, on: date, via: str, tracking: str = ""
    ) -> tuple[Letter, str]:
        """Freeze a letter as sent: keeps the PDF that went out. Returns a note for the user."""
        if via not in CHANNELS:
            raise UserError(
                _("--via: '{via}' is not a channel; use one of {join}.").format(
                    via=via, join=", ".join(CHANNELS)
                )
            )
        letter = self.store.letter(letter_id)
        if letter.status != "draft":
            raise UserError(
                _("letter {letter_id} is already marked sent (on {sent_on}).").format(
                    letter_id=letter_id, sent_on=letter.sent_on
                )
            )
        if on < letter.drafted_on:
            raise UserError(
                _("--on: {on} is before the letter was drafted ({drafted_on}).").format(
                    on=on, drafted_on=letter.drafted_on
                )
            )
        pdf = self.render_bytes(letter, "pdf")
        digest = self.store.keep_file(pdf, ".pdf")[0]
        letter.status, letter.sent_on, letter.via, letter.tracking, letter.pdf_sha256 = (
            "sent",
            on,
            via,
            tracking,
            digest,
        )
        with self.store.transaction():
            self.store.save_letter(letter)
        case = self.store.case(letter.case_id)
        from .deadlines import response_deadline

        deadline = response_deadline(on, via, case.jurisdiction, letter.window)
        note = f"reply due by {format_day(deadline.deadline)} ({deadline.explanation})"
        if (
            letter.document.reply_by_iso
            and letter.document.reply_by_iso != deadline.deadline.isoformat()
        ):
            note += f"; note: the letter itself asks for a reply by {letter.document.reply_by_iso}"
        return letter, note

    def mark_delivered(self, letter_id: int, on: date) -> Letter:
        with self.store.transaction():
            letter = self.store.letter(letter_id)
            if not letter.sent_on:
                raise UserError(
                    _(
                        "letter {letter_id} has not been marked sent yet; run 'paperwork letter sent' first."
                    ).format(letter_id=letter_id)
                )
            if on < letter.sent_on:
                raise UserError(
                    _("--on: {on} is before the letter was sent ({sent_on}).").format(
                        on=on, sent_on=letter.sent_on
                    )
                )
            letter.delivered_on = on
            letter.status = "delivered"
            self.store.save_letter(letter)
            return letter

    # -- events ---------------------------------------------------------------
    def log_event(self, case_id: int, kind: str, on: date, data: dict[str, Any]) -> Event:
        with self.store.transaction():
            case = self.store.case(case_id)
            event = Event(case_id=case_id, kind=kind, on=on, data=data)
            self.store.add_event(event)
            if kind == "response" and data.get("resolved"):
                case.status = "closed"
                self.store.save_case(case)
            return event

    # -- export / import --------------------------------------------------------
    def export_bytes(self, redact: bool = False) -> bytes:
        """The whole store as JSON bytes; ``redact`` masks personal details for sharing."""
        doc = self.store.export_document()
        if redact:
            from .redact import redact_export

            doc = redact_export(doc)
        return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode(
            "utf-8"
        )

    def import_file(self, path: Path) -> dict[str, int]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(_("no such file."), source=str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(
                _("cannot be read ({exc}).").format(exc=exc), source=str(path)
            ) from None
        except RecursionError:
            raise UserError(_("is nested too deeply."), source=str(path)) from None
        except json.JSONDecodeError as exc:
            raise UserError(
                _("broken JSON at line {lineno}, column {colno}: {msg}.").format(
                    lineno=exc.lineno, colno=exc.colno, msg=exc.msg
                ),
                source=str(path),
            ) from None
        with self.store.transaction():
            return self.store.import_document(data, str(path))


def load_case_changes(path: Path) -> dict[str, Any]:
    """A partial case file for ``case edit``: only the keys it gives."""
    from .schema import read_structured_file

    data = read_structured_file(path)
    return load_with(CaseFileSchema(partial=True), data, str(path))
