"""Letters: draft (checked against the catalogue), edit, render and record their sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from paperwork.core import i18n
from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.core.model import CHANNELS, Case, Letter, LetterDocument
from paperwork.core.record_dates import day_problem
from paperwork.services.session import Paperwork
from paperwork.store.files import ensure_output_dir, safe_stem, write_output

if TYPE_CHECKING:
    from paperwork.core.catalog import LetterKind
    from paperwork.core.layouts import Layout
    from paperwork.letters.compose import History, LetterOptions

# Drafting and editing (composition, the tally of pressure, the catalogue's rules) load
# inside the functions that use them: rendering, showing and sending a stored letter
# need none of them (tests/unit/test_import_hygiene.py keeps it so).

STALLING_TACTICS = ("call_us", "account_not_found", "policy", "send_id")


def list_kinds(pw: Paperwork) -> list[LetterKind]:
    return sorted(pw.catalog.kinds.values(), key=lambda k: (k.rung, k.id))


def _history(pw: Paperwork, case: Case, today: date) -> History:
    from paperwork.core.tally import pressure_tally
    from paperwork.letters.compose import History
    from paperwork.services.schedule import plan_for

    letters = pw.store.letters(case.id)
    events = pw.store.events(case.id)
    sent = [letter for letter in letters if letter.sent_on]
    plan = plan_for(pw, case, letters, events, today)
    return History(
        sent, events, pressure_tally(case, letters, events, today, plan.missed_deadlines)
    )


def draft_letter(
    pw: Paperwork,
    case_id: int,
    kind_id: str,
    today: date,
    locale: str | None = None,
    window: str | None = None,
    tactic: str = "",
    options: LetterOptions | None = None,
    notes: list[str] | None = None,
) -> Letter:
    """Compose and store a new draft of ``kind_id`` for a case (not yet rendered or sent).

    ``options`` carry what this one letter adds (the call it confirms, the reply it
    answers, its own request); notes for the user are appended to ``notes``."""
    letter = _prepare_letter(pw, case_id, kind_id, today, locale, window, tactic, options, notes)
    with pw.store.transaction(_("letter drafted on case {id}").format(id=case_id)):
        pw.store.add_letter(letter)
    return letter


def draft_and_render(
    pw: Paperwork,
    case_id: int,
    kind_id: str,
    today: date,
    out_dir: Path,
    formats: tuple[str, ...] = ("pdf", "docx"),
) -> tuple[Letter, list[Path]]:
    """Draft a letter and write its files in one transaction: if anything fails or
    the process is killed before the files are in place, no draft is left behind
    (a draft without files would look done to the next ``reissue``)."""
    letter = _prepare_letter(pw, case_id, kind_id, today, None, None, "")
    ensure_output_dir(out_dir)
    with pw.store.transaction(_("letter drafted on case {id}").format(id=case_id)):
        pw.store.add_letter(letter)
        assert letter.id is not None  # the store has just given it one
        paths = write_letter_files(pw, letter.id, out_dir, formats)
    return letter, paths


def _prepare_letter(
    pw: Paperwork,
    case_id: int,
    kind_id: str,
    today: date,
    locale: str | None,
    window: str | None,
    tactic: str,
    options: LetterOptions | None = None,
    notes: list[str] | None = None,
) -> Letter:
    """Everything drafting checks and composes, short of storing the letter.

    Refused, one line per problem: a kind that does not apply or is not written in
    the locale, case fields or inputs the kind needs, a premise the record
    contradicts (a cancellation on record, no call to confirm), a recipient without
    a postal address."""
    # Drafting's rules load here, not with the module: rendering a stored letter needs none.
    from paperwork.core.deadlines import WindowError, parse_window, response_deadline
    from paperwork.letters.compose import (
        LetterOptions,
        check_inputs,
        compose,
        missing_needs,
        recipient_block,
    )
    from paperwork.services.cases import sender_for
    from paperwork.services.pool import letter_figures

    case = pw.store.case(case_id)
    kind = pw.catalog.get(kind_id)
    locale = locale or case.locale
    problems = []
    if not kind.applies_to(case.jurisdiction):
        usable = ", ".join(k.id for k in pw.catalog.applicable(case.jurisdiction, locale))
        raise UserError(
            _(
                "letter kind '{kind_id}' does not apply in {jurisdiction}; kinds that do: {usable}."
            ).format(kind_id=kind_id, jurisdiction=case.jurisdiction, usable=usable)
        )
    if locale not in kind.locales:
        raise UserError(
            _(
                "letter kind '{kind_id}' is not written in {locale}; it is available in: {value}."
            ).format(kind_id=kind_id, locale=locale, value=", ".join(kind.locales) or "no language")
        )
    if kind_id == "stalling_reply" and tactic not in STALLING_TACTICS:
        problems.append(
            f"--tactic: give one of {', '.join(STALLING_TACTICS)} for a stalling_reply."
        )
    elif tactic and kind_id != "stalling_reply":
        problems.append("--tactic: only a stalling_reply answers a tactic.")
    options = options or LetterOptions()
    if options.ask:
        from paperwork.core.schema import clean_text

        try:
            options.ask = clean_text(options.ask, multiline=False)
        except Exception as exc:  # marshmallow ValidationError
            message = exc.messages[0] if hasattr(exc, "messages") else str(exc)
            problems.append(f"--ask: {message}")
    for need in missing_needs(case, kind):
        problems.append(
            f"{need}: the case must give this for a {kind_id} letter (paperwork case edit)."
        )
    history = _history(pw, case, today)
    problems.extend(check_inputs(case, kind, history, options))
    recipient_problems = recipient_block(case, kind, locale, pw.user_regulators)[1]
    if recipient_problems:
        # a regulator letter by post to a body with no postal address: say what to add
        problems.extend(postal_address_problems(pw, case, kind) or recipient_problems)
    if window is None:
        rule = kind.window_for(case.jurisdiction, case.category, today)[1]
        window = rule.window
    try:
        parsed = parse_window(window)
    except WindowError as exc:
        problems.append(f"--window: {exc}")
        parsed = None
    if problems:
        raise UserError(problems)
    assert parsed is not None
    sender = sender_for(pw, case)
    # The reply-by date printed in the letter assumes it goes out today by the
    # kind's usual channel; case show recounts from the real posting date.
    channel = kind_channel(kind, case)
    reply_by = response_deadline(today, channel, case.jurisdiction, parsed).deadline
    document = compose(
        case,
        kind,
        catalog=pw.catalog,
        sender=sender,
        locale=locale,
        today=today,
        reply_by=reply_by,
        history=history,
        tactic=tactic,
        user_regulators=pw.user_regulators,
        options=options,
        notes=notes,
        pool=letter_figures(pw, case_id),
        fits=window_fits(pw, locale),
    )
    check_printable(pw, document)
    return Letter(
        case_id=case_id,
        kind=kind_id,
        locale=locale,
        drafted_on=today,
        window=str(parsed),
        document=document,
    )


def kind_channel(kind: LetterKind, case: Case) -> str:
    """How a letter of ``kind`` usually goes out for ``case``: registered post where the
    kind asks for proof of delivery (in the US, certified mail: the Postal Service's
    tracked, signed-for service), certified post where it asks for proof of receipt
    only, e-mail for e-mail kinds, ordinary post otherwise."""
    channel = {"registered": "registered", "certified": "certified", "email": "email"}.get(
        kind.delivery_for(case.jurisdiction), "post"
    )
    if channel == "registered" and case.country == "US":
        return "certified"
    return channel


def default_channel(pw: Paperwork, letter: Letter) -> str:
    """The channel offered first when a letter is marked sent."""
    return kind_channel(pw.catalog.get(letter.kind), pw.store.case(letter.case_id))


def check_printable(pw: Paperwork, document: LetterDocument) -> None:
    """Refuse text the shipped fonts cannot show, rather than dropping it silently."""
    from paperwork.render.pdf import unprintable_characters

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


def get_letter(pw: Paperwork, letter_id: int) -> Letter:
    return pw.store.letter(letter_id)


def letter_text(pw: Paperwork, letter_id: int) -> str:
    from paperwork.letters.compose import printable_text

    return printable_text(pw.store.letter(letter_id).document)


def letter_editable_text(pw: Paperwork, letter_id: int) -> str:
    from paperwork.letters.compose import editable_text

    return editable_text(pw.store.letter(letter_id).document)


def edit_letter(pw: Paperwork, letter_id: int, text: str, expected: str | None = None) -> Letter:
    """Store edited text for a draft; a sent letter is frozen and refused.

    ``expected`` is the text the edit started from: if another command changed the
    letter meanwhile, the edit is refused rather than overwriting that change."""
    from paperwork.letters.compose import apply_edit, editable_text

    with pw.store.transaction(_("letter {id} edited").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        if letter.status != "draft":
            raise UserError(
                _(
                    "letter {letter_id} was sent on {sent_on}; its text is frozen. Draft a new letter instead."
                ).format(letter_id=letter_id, sent_on=letter.sent_on)
            )
        if expected is not None and editable_text(letter.document) != expected:
            raise UserError(_race_message(letter_id, letter))
        letter.document = apply_edit(letter.document, text, source=f"letter {letter_id}")
        check_printable(pw, letter.document)
        pw.store.save_letter(letter)
        return letter


def layout_for(pw: Paperwork, letter: Letter) -> Layout:
    return _layout_for_locale(pw, letter.locale)


def _layout_for_locale(pw: Paperwork, locale: str) -> Layout:
    from paperwork.core.layouts import layout_named

    default = i18n.conventions(locale)["layout"]
    return layout_named(pw.config.layout_for(locale, default))


def window_fits(pw: Paperwork, locale: str) -> Callable[[str], bool]:
    """Whether an address line fits the envelope window of ``locale``'s layout."""
    from paperwork.core.layouts import MM_PER_INCH
    from paperwork.render.pdf import address_width

    limit = _layout_for_locale(pw, locale).recipient_width * 72 / MM_PER_INCH
    return lambda line: address_width(line) <= limit


def render_bytes(pw: Paperwork, letter: Letter, fmt: str) -> bytes:
    """The letter as PDF or DOCX bytes; a sent letter's PDF is the kept copy."""
    if fmt == "pdf" and letter.pdf_sha256:
        kept = pw.store.kept_path(letter.pdf_sha256, ".pdf")
        if kept is not None and kept.is_file():
            return kept.read_bytes()
    from paperwork.render import render_letter

    return render_letter(letter.document, layout_for(pw, letter), fmt)


def output_stem(pw: Paperwork, letter: Letter) -> str:
    title = pw.store.case_title(letter.case_id)
    return f"{letter.id:04d}-{safe_stem(letter.kind)}-{safe_stem(title, 40)}"


def write_letter_files(
    pw: Paperwork, letter_id: int, out_dir: Path, formats: tuple[str, ...]
) -> list[Path]:
    """Write the letter's files into ``out_dir``; returns their paths."""
    letter = pw.store.letter(letter_id)
    ensure_output_dir(out_dir)
    stem = output_stem(pw, letter)
    paths = []
    for fmt in formats:
        paths.append(write_output(out_dir / f"{stem}.{fmt}", render_bytes(pw, letter, fmt)))
    return paths


def _check_channel(via: str) -> None:
    if via not in CHANNELS:
        raise UserError(
            _("--via: '{via}' is not a channel; use one of {join}.").format(
                via=via, join=", ".join(CHANNELS)
            )
        )


def mark_sent(
    pw: Paperwork,
    letter_id: int,
    on: date,
    via: str,
    tracking: str = "",
    today: date | None = None,
) -> tuple[Letter, str]:
    """Freeze a letter as sent: keeps the PDF that went out. Returns a note for the user.
    ``on`` may not be after ``today`` (default: the clock's today)."""
    _check_channel(via)
    letter = pw.store.letter(letter_id)
    if letter.status != "draft":
        raise UserError(
            _("letter {letter_id} is already marked sent (on {sent_on}).").format(
                letter_id=letter_id, sent_on=letter.sent_on
            )
        )
    if on > (today or date.today()):
        raise UserError(_("--on: {problem}").format(problem=day_problem(on, today or date.today())))
    if on < letter.drafted_on:
        raise UserError(
            _("--on: {on} is before the letter was drafted ({drafted_on}).").format(
                on=on, drafted_on=letter.drafted_on
            )
        )
    pdf = render_bytes(pw, letter, "pdf")
    digest = pw.store.keep_file(pdf, ".pdf")[0]
    with pw.store.transaction(_("letter {id} marked sent").format(id=letter_id)):
        # compare-and-set: another command may have sent this letter since it was read
        current = pw.store.letter(letter_id)
        if current.status != "draft" or current.document != letter.document:
            raise UserError(_race_message(letter_id, current))
        letter.status, letter.sent_on, letter.via, letter.tracking, letter.pdf_sha256 = (
            "sent",
            on,
            via,
            tracking,
            digest,
        )
        pw.store.save_letter(letter)
    case = pw.store.case(letter.case_id)
    from paperwork.core.deadlines import format_day, response_deadline

    deadline = response_deadline(on, via, case.jurisdiction, letter.window)
    note = f"reply due by {format_day(deadline.deadline)} ({deadline.explanation})"
    if (
        letter.document.reply_by_iso
        and letter.document.reply_by_iso != deadline.deadline.isoformat()
    ):
        note += f"; note: the letter itself asks for a reply by {letter.document.reply_by_iso}"
    return letter, note


def _race_message(letter_id: int, current: Letter) -> str:
    """The refusal for a state change that another command made first."""
    if current.status == "draft":
        return _(
            "letter {letter_id} was changed by another command meanwhile; nothing was done. Check it with 'paperwork letter show {letter_id}' and try again."
        ).format(letter_id=letter_id)
    return _(
        "letter {letter_id} was marked sent by another command meanwhile (on {sent_on}, tracking '{tracking}'); nothing was done."
    ).format(letter_id=letter_id, sent_on=current.sent_on, tracking=current.tracking)


def mark_delivered(pw: Paperwork, letter_id: int, on: date, today: date | None = None) -> Letter:
    """Record the day tracking says the letter arrived (not after ``today``)."""
    if on > (today or date.today()):
        raise UserError(_("--on: {problem}").format(problem=day_problem(on, today or date.today())))
    with pw.store.transaction(_("letter {id} marked delivered").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        if letter.delivered_on and letter.delivered_on != on:
            raise UserError(
                _(
                    "letter {letter_id} is already recorded as delivered on {delivered_on}; nothing was changed."
                ).format(letter_id=letter_id, delivered_on=letter.delivered_on)
            )
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
        pw.store.save_letter(letter)
        return letter


def correct_sending(
    pw: Paperwork,
    letter_id: int,
    on: date,
    via: str,
    tracking: str = "",
    today: date | None = None,
) -> Letter:
    """Correct the day, channel or tracking number of a letter already marked sent."""
    _check_channel(via)
    with pw.store.transaction(_("sending of letter {id} corrected").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        if letter.sent_on is None:
            raise UserError(_("letter {id} has not been marked sent yet.").format(id=letter_id))
        problem = day_problem(
            on,
            today or date.today(),
            letter.drafted_on,
            _("the letter was drafted"),
        )
        if problem is None and letter.delivered_on and on > letter.delivered_on:
            problem = _("{day} is after it was delivered ({delivered}).").format(
                day=on.isoformat(), delivered=letter.delivered_on.isoformat()
            )
        if problem:
            raise UserError(_("--on: {problem}").format(problem=problem))
        letter.sent_on, letter.via, letter.tracking = on, via, tracking
        pw.store.save_letter(letter)
        return letter


def correct_delivery(pw: Paperwork, letter_id: int, on: date, today: date | None = None) -> Letter:
    """Correct the day a letter was delivered."""
    with pw.store.transaction(_("delivery of letter {id} corrected").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        if letter.delivered_on is None or letter.sent_on is None:
            raise UserError(_("letter {id} has no delivery to correct.").format(id=letter_id))
        problem = day_problem(on, today or date.today(), letter.sent_on, _("it was sent"))
        if problem:
            raise UserError(_("--on: {problem}").format(problem=problem))
        letter.delivered_on = on
        pw.store.save_letter(letter)
        return letter


def unmark_sent(pw: Paperwork, letter_id: int) -> Letter:
    """Take back "sent" (and "delivered"): the letter is a draft again, its text editable."""
    with pw.store.transaction(_("sending of letter {id} deleted").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        letter.status, letter.sent_on, letter.via, letter.tracking = "draft", None, "", ""
        letter.delivered_on, letter.pdf_sha256 = None, ""
        pw.store.save_letter(letter)
        return letter


def unmark_delivered(pw: Paperwork, letter_id: int) -> Letter:
    """Take back "delivered": the deadline counts from the deemed receipt again."""
    with pw.store.transaction(_("delivery of letter {id} deleted").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        if letter.delivered_on is not None:
            letter.delivered_on = None
            letter.status = "sent" if letter.sent_on else "draft"
            pw.store.save_letter(letter)
        return letter


def delete_letter(pw: Paperwork, letter_id: int) -> Letter:
    """Remove a draft that was never sent (a sent letter is part of the record)."""
    with pw.store.transaction(_("letter {id} deleted").format(id=letter_id)):
        letter = pw.store.letter(letter_id)
        if letter.status != "draft":
            raise UserError(
                _(
                    "letter {id} was sent on {day}: it stays in the record. "
                    "Delete its sending first if it never went out."
                ).format(id=letter_id, day=letter.sent_on)
            )
        pw.store.delete_letter(letter_id)
        return letter


def postal_address_problems(pw: Paperwork, case: Case, kind: LetterKind) -> list[str]:
    """A regulator letter that goes by post needs the body's postal address: one
    line saying what to add when the directory has none (drafting is refused)."""
    from paperwork.core.catalog import find_authority
    from paperwork.core.i18n import _

    if kind.recipient != "regulator" or kind.delivery_for(case.jurisdiction) == "email":
        return []
    body = find_authority(
        case.jurisdiction, kind.regulator_category or case.category, pw.user_regulators
    )
    if body is None or body.address:
        return []  # no body at all is refused by composition, with its own line
    line = _(
        'regulators.toml: no postal address is known for {body}, and a {kind} letter goes by post; add a [[body]] with id = "{id}", country, categories, name and address = ["…", "postcode and town"] to {path} (it replaces the shipped entry), or give the case a contact with role "regulator".'
    ).format(
        body=body.name(case.locale) or body.id, kind=kind.id, id=body.id, path=pw.user_regulators
    )
    if body.address_note:
        line += " " + body.address_note
    return [line]
