"""The case record as documents: evidence, the chronology, bundles, envelopes, e-mail.

Use cases over a :class:`~paperwork.services.Paperwork` instance, for the CLI and
the TUI alike. Evidence files are checked before they are kept (a bundle must
never fail half-way on a file that was accepted); generated files are written to
a temporary name beside the target and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from paperwork.core import i18n
from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.core.model import Case, Event, Letter, LetterDocument
from paperwork.record.documents import BundleItem, BundleResult, ChronologyDoc, ChronologyEntry
from paperwork.services.cases import sender_for
from paperwork.services.events import log_event
from paperwork.services.letters import get_letter, output_stem, render_bytes
from paperwork.services.schedule import case_view
from paperwork.store.files import KEPT_SUFFIXES, PRIVATE_FILE, atomic_write

if TYPE_CHECKING:
    from email.message import EmailMessage

    from paperwork.core.catalog import Authority
    from paperwork.services.session import Paperwork

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024  # larger files make a bundle nobody can e-mail
MAX_IMAGE_PIXELS = 100_000_000  # beyond this an "image" is a decompression bomb, not a photo
MEDIA_SUFFIX = KEPT_SUFFIXES

# The order of things that happened on the same day: what the person said first,
# then what they sent, did, heard back, and the deadlines that fell that day.
_KIND_ORDER = {
    "fact": 0,
    "letter": 1,
    "call": 2,
    "response": 3,
    "evidence": 4,
    "outcome": 5,
    "deadline": 6,
}


# ---------------------------------------------------------------------------
# evidence


@dataclass(frozen=True)
class EvidenceCheck:
    """What a checked evidence file is: its media type, pages and pixel size."""

    media_type: str
    pages: int
    width: int = 0
    height: int = 0


def sniff_media_type(data: bytes) -> str | None:
    """The media type from the file's first bytes (never from its name)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def check_evidence(data: bytes, name: str) -> EvidenceCheck:
    """Refuse what a bundle could not print: encrypted or broken PDFs, other file
    types, images that do not decode. Raises UserError naming ``name``."""
    media_type = sniff_media_type(data)
    if media_type is None:
        raise UserError(
            _("is not a PDF, PNG or JPEG file; scan or export it as one of those."), source=name
        )
    if media_type == "application/pdf":
        return _check_pdf(data, name)
    return _check_image(data, name, media_type)


def _check_pdf(data: bytes, name: str) -> EvidenceCheck:
    from paperwork.render.bundle import EvidenceProblem, inspect_pdf

    try:
        pages = inspect_pdf(data)
    except EvidenceProblem as problem:
        if problem.kind == "encrypted":
            message = _(
                "is an encrypted (password-protected) PDF; print it to a new PDF without a password first."
            )
        elif problem.kind == "empty":
            message = _("is a PDF without pages.")
        else:
            message = _("is a damaged PDF that cannot be read ({reason}).").format(
                reason=problem.detail
            )
        raise UserError(message, source=name) from None
    return EvidenceCheck("application/pdf", pages)


def _check_image(data: bytes, name: str, media_type: str) -> EvidenceCheck:
    from paperwork.render.bundle import EvidenceProblem, inspect_image

    try:
        width, height = inspect_image(data, MAX_IMAGE_PIXELS)
    except EvidenceProblem as problem:
        if problem.kind == "too_large":
            message = _(
                "is a {width} x {height} pixel image, too large to print; scale it down first."
            ).format(width=problem.size[0], height=problem.size[1])
        else:
            message = _("is a damaged image that cannot be read ({reason}).").format(
                reason=problem.detail
            )
        raise UserError(message, source=name) from None
    return EvidenceCheck(media_type, 1, width, height)


def _clean_title(title: str, name: str) -> str:
    """The title as the index and the letters will print it: one line, no control
    or text-direction characters (the same rules as case files)."""
    from marshmallow import ValidationError

    from paperwork.core.schema import clean_text

    try:
        title = " ".join(clean_text(title, multiline=False).split())
    except ValidationError as exc:
        raise UserError(
            _("--title: {problem}").format(problem=exc.messages[0]), source=name
        ) from None
    if not title:
        raise UserError(_("--title: must not be empty."), source=name)
    if len(title) > 200:
        raise UserError(_("--title: is longer than 200 characters."), source=name)
    return title


def _title_from_name(path: Path) -> str:
    """A default title from a file name: its stem, printable characters only."""
    import unicodedata

    stem = path.stem.replace("_", " ")
    text = "".join(ch for ch in stem if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(text.split()) or path.name


def read_evidence_file(path: Path) -> tuple[bytes, EvidenceCheck]:
    """Read and check an evidence file without keeping it (``letter sent --proof``
    calls this before recording anything). Raises UserError naming the file."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(_("no such file."), source=name) from None
    except OSError as exc:
        raise UserError(
            _("cannot be read ({reason}).").format(reason=exc.strerror), source=name
        ) from None
    if not path.is_file():
        raise UserError(_("is not a file."), source=name)
    if size > MAX_EVIDENCE_BYTES:
        raise UserError(
            _(
                "is {size} MB; evidence is limited to {limit} MB so a bundle can still be e-mailed."
                " Compress or split it first."
            ).format(size=round(size / 1024 / 1024), limit=MAX_EVIDENCE_BYTES // 1024 // 1024),
            source=name,
        )
    if size == 0:
        raise UserError(_("is empty."), source=name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            _("cannot be read ({reason}).").format(reason=exc.strerror), source=name
        ) from None
    return data, check_evidence(data, name)


def add_evidence(
    pw: Paperwork, case_id: int, path: Path, today: date, title: str | None = None
) -> Event:
    """Check ``path``, keep a copy in the data folder (content-addressed), record it
    on the case as an ``evidence`` event. Bad files are refused; nothing is kept."""
    pw.store.case(case_id)  # a clear NotFound before any work
    data, checked = read_evidence_file(path)
    title = _clean_title(title if title is not None else _title_from_name(path), str(path))
    digest, _kept = pw.store.keep_file(data, MEDIA_SUFFIX[checked.media_type])
    info: dict[str, Any] = {
        "title": title,
        "sha256": digest,
        "filename": path.name,
        "media_type": checked.media_type,
        "size": len(data),
        "pages": checked.pages,
    }
    if checked.width:
        info["width"], info["height"] = checked.width, checked.height
    return log_event(pw, case_id, "evidence", today, info)


def evidence_path(pw: Paperwork, event: Event) -> Path:
    """Where an evidence event's kept copy lives."""
    suffix = MEDIA_SUFFIX.get(str(event.data.get("media_type")), "")
    kept = pw.store.kept_path(str(event.data.get("sha256", "")), suffix)
    # a record that names no kept file points at a name that cannot exist
    return kept if kept is not None else pw.store.files_dir / "missing"


# ---------------------------------------------------------------------------
# the chronology


def chronology(pw: Paperwork, case_id: int, today: date) -> list[ChronologyEntry]:
    """Every fact, letter sent, call, reply, piece of evidence, outcome and reply
    deadline (missed, met or still running) on a case, in date order."""
    view = case_view(pw, case_id, today)
    case = view.case
    locale = case.locale
    words = i18n.bundle_words(locale)
    channels = i18n.conventions(locale).get("channels", {})
    titles = {k.id: k.title(locale) for k in pw.catalog.kinds.values()}
    entries: list[ChronologyEntry] = [ChronologyEntry(f.on, "fact", f.text) for f in case.facts]
    for letter in view.letters:
        if not letter.sent_on:
            continue
        via = channels.get(letter.via, letter.via)
        text = words["letter_sent"].format(title=titles.get(letter.kind, letter.kind), via=via)
        if letter.tracking:
            text += words["letter_tracking"].format(number=letter.tracking)
        if letter.delivered_on:
            text += words["delivered"].format(date=i18n.long_date(letter.delivered_on, locale))
        ref = words["letter_ref"].format(id=letter.id)
        entries.append(ChronologyEntry(letter.sent_on, "letter", text, ref))
    exhibit = 0
    for event in view.events:
        d = event.data
        if event.kind == "call":
            parts = [words["call"].format(waited=d.get("waited", 0), duration=d.get("duration", 0))]
            if d.get("rep"):
                parts.append(words["spoke_to"].format(name=d["rep"]))
            if d.get("promised"):
                parts.append(words["promised"].format(promise=d["promised"]))
            if d.get("notes"):
                parts.append(str(d["notes"]))
            entries.append(
                ChronologyEntry(event.on, "call", "; ".join(parts), str(d.get("ref", "")))
            )
        elif event.kind == "response":
            text = words["reply"].format(summary=d.get("summary", ""))
            if d.get("resolved"):
                text += words["resolved"]
            entries.append(ChronologyEntry(event.on, "response", text))
        elif event.kind == "evidence":
            exhibit += 1
            text = words["evidence"].format(title=d.get("title", ""))
            entries.append(ChronologyEntry(event.on, "evidence", text, f"E{exhibit}"))
        elif event.kind == "outcome":
            kind = str(d.get("kind", ""))
            text = words["outcome"].format(kind=words["outcome_kinds"].get(kind, kind))
            if d.get("amount"):
                text += f" {d.get('amount')} {d.get('currency', '')}".rstrip()
            entries.append(ChronologyEntry(event.on, "outcome", text))
        elif event.kind == "post":
            entries.append(
                ChronologyEntry(event.on, "post", words["post"].format(url=d.get("url", "")))
            )
        else:
            summary = d.get("summary") or d.get("title") or d.get("url") or d.get("notes") or ""
            entries.append(
                ChronologyEntry(
                    event.on, event.kind, f"{event.kind.capitalize()}: {summary}".rstrip(": ")
                )
            )
    for clock in view.plan.clocks:
        dl = clock.deadline.deadline
        label = words["letter_ref"].format(id=clock.letter.id)
        name = titles.get(clock.letter.kind, clock.letter.kind)
        missed = False
        if clock.answered_on and clock.answered_on <= dl:
            answered = i18n.long_date(clock.answered_on, locale)
            text = words["deadline_met"].format(name=name, date=answered)
        elif dl < today:
            late = (
                words["late_reply"].format(date=i18n.long_date(clock.answered_on, locale))
                if clock.answered_on
                else ""
            )
            text = words["deadline_missed"].format(name=name, late=late)
            missed = True
        else:
            text = words["deadline_running"].format(name=name)
        entries.append(ChronologyEntry(dl, "deadline", text, label, missed))
    entries.sort(key=lambda e: (e.on, _KIND_ORDER.get(e.kind, 5)))
    return entries


def chronology_doc(pw: Paperwork, case_id: int, today: date) -> ChronologyDoc:
    case = pw.store.case(case_id)
    locale = case.locale
    words = i18n.bundle_words(locale)
    subtitle = f"{case.company.name} · {sender_for(pw, case).name}"
    if case.account_number:
        subtitle += words["chronology_account"].format(number=case.account_number)
    subtitle += words["chronology_as_of"].format(date=i18n.long_date(today, locale))
    return ChronologyDoc(
        title=words["chronology_title"].format(title=case.title),
        subtitle=subtitle,
        locale=case.locale,
        paper=i18n.paper_for(case.locale),
        entries=chronology(pw, case_id, today),
    )


def write_chronology(
    pw: Paperwork, case_id: int, today: date, out: Path, docx_out: Path | None = None
) -> list[Path]:
    """The chronology as its own PDF (and DOCX)."""
    from paperwork.render.chronology import chronology_docx, chronology_pdf

    doc = chronology_doc(pw, case_id, today)
    pdf = chronology_pdf(doc, numbered=True)
    outputs = [(out, pdf)]
    if docx_out is not None:
        outputs.append((docx_out, chronology_docx(doc)))
    for path, data in outputs:
        _write(path, data)
    return [p for p, _ in outputs]


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise UserError(
            _("cannot write ({reason}).").format(reason=exc.strerror), source=str(path)
        ) from None


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A file handle to a temporary name beside ``path``, renamed into place on
    success and removed on failure: for outputs too large to build in memory."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise UserError(
            _("cannot write ({reason}).").format(reason=exc.strerror), source=str(path)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_FILE)
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a folder in the way
            raise UserError(
                _("cannot write ({reason}).").format(reason=exc.strerror or exc), source=str(path)
            ) from None
        raise


# ---------------------------------------------------------------------------
# bundles


def sent_letters(letters: list[Letter]) -> list[Letter]:
    """Letters that went out, in the order they went out."""
    return sorted((lt for lt in letters if lt.sent_on), key=lambda lt: (lt.sent_on, lt.id or 0))


def _pdf_pages(data: bytes) -> int:
    from paperwork.render.bundle import pdf_page_count

    return pdf_page_count(data)


def build_bundle(
    pw: Paperwork,
    case_id: int,
    out: Path,
    today: date,
    docx_out: Path | None = None,
    progress: Callable[[str], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BundleResult:
    """Cover letter, index, chronology, every sent letter, then the evidence, as
    one paginated PDF (and optionally a DOCX). Pages are streamed into the output
    one item at a time, so photos are never all decoded at once."""
    from paperwork.render.bundle import cover_document, evidence_label, index_pdf, write_bundle_pdf
    from paperwork.render.chronology import chronology_pdf

    view = case_view(pw, case_id, today)
    case = view.case
    locale = case.locale
    titles = {k.id: k.title(locale) for k in pw.catalog.kinds.values()}
    channels = i18n.conventions(locale).get("channels", {})
    words = i18n.bundle_words(locale)
    warnings: list[str] = []

    chron = chronology_doc(pw, case_id, today)
    chron_pdf = chronology_pdf(chron, numbered=False)
    items: list[BundleItem] = [
        BundleItem("cover", words["covering_letter"], words["covering_letter"], on=today),
        BundleItem("index", words["index"], words["index"]),
        BundleItem(
            "chronology",
            words["chronology"],
            words["chronology"],
            pages=_pdf_pages(chron_pdf),
            pdf=chron_pdf,
            on=today,
        ),
    ]
    for letter in sent_letters(view.letters):
        data = render_bytes(pw, letter, "pdf")
        note = words["sent_by"].format(via=channels.get(letter.via, letter.via))
        if letter.tracking:
            note += words["tracking"].format(number=letter.tracking)
        items.append(
            BundleItem(
                "letter",
                words["letter_item"].format(
                    title=titles.get(letter.kind, letter.kind), id=letter.id
                ),
                words["letter_label"].format(id=letter.id),
                pages=_pdf_pages(data),
                pdf=data,
                on=letter.sent_on,
                note=note,
            )
        )
    exhibit = 0
    for event in view.events:
        if event.kind != "evidence":
            continue
        exhibit += 1
        item = BundleItem(
            "evidence",
            f"E{exhibit}: {event.data.get('title', '')}",
            f"E{exhibit}",
            on=event.on,
            path=evidence_path(pw, event),
            media_type=str(event.data.get("media_type", "")),
            note=evidence_label(event.data, locale),
        )
        item.pages = _evidence_pages(item, event, warnings)
        items.append(item)

    sender = sender_for(pw, case)
    authority = _authority(pw, case)

    def lay_out(cover_pages: int, index_pages: int) -> None:
        items[0].pages, items[1].pages = cover_pages, index_pages
        page = 1
        for item in items:
            item.start = page
            page += item.pages

    # The cover and the index quote page numbers that depend on their own length:
    # lay out, render, and repeat until the page counts stop changing.
    cover_pages, index_pages = 1, 1
    for _attempt in range(5):
        lay_out(cover_pages, index_pages)
        total = items[-1].end
        cover_doc = cover_document(case, sender, authority, items, total, view.tally, today, locale)
        cover_pdf = render_document(pw, cover_doc)
        index_bytes = index_pdf(case, items, total, i18n.paper_for(locale), locale)
        new_counts = (_pdf_pages(cover_pdf), _pdf_pages(index_bytes))
        if new_counts == (cover_pages, index_pages):
            break
        cover_pages, index_pages = new_counts
    items[0].pdf, items[1].pdf = cover_pdf, index_bytes
    total = items[-1].end
    page_label = i18n.conventions(locale).get("page", "Page {n} of {m}")
    if on_total:
        on_total(len(items))
    with atomic_output(out) as handle:
        write_bundle_pdf(
            handle,
            items,
            paper=i18n.paper_for(locale),
            page_label=page_label,
            title=f"Bundle: {case.title}",
            author=sender.name,
            progress=progress,
        )
    result = BundleResult(out, total, items, warnings=warnings)
    if docx_out is not None:
        from paperwork.render.bundle import bundle_docx

        data = bundle_docx(
            cover_doc, case, items, chron, [lt for lt in sent_letters(view.letters)], titles
        )
        _write(docx_out, data)
        result.docx_path = docx_out
    return result


def render_document(pw: Paperwork, doc: LetterDocument) -> bytes:
    """A LetterDocument that is no stored letter (the bundle's cover) as a PDF."""
    from paperwork.core.layouts import layout_named
    from paperwork.render import render_letter

    default = i18n.conventions(doc.locale)["layout"]
    return render_letter(doc, layout_named(pw.config.layout_for(doc.locale, default)), "pdf")


def _authority(pw: Paperwork, case: Case) -> Authority | None:
    """The ombudsman or regulator for the case's country and category, if any."""
    from paperwork.core.catalog import find_authority

    return find_authority(case.jurisdiction, case.category, pw.user_regulators)


def _evidence_pages(item: BundleItem, event: Event, warnings: list[str]) -> int:
    """Pages an evidence item takes; a kept file that has gone bad becomes one
    page saying so (the rest of the bundle is still built)."""
    path = item.path
    assert path is not None
    if not path.is_file():
        item.problem = "the kept copy is missing from the data folder"
    elif item.media_type == "application/pdf":
        from paperwork.render.bundle import EvidenceProblem, inspect_pdf

        try:
            return inspect_pdf(path, full=False)
        except EvidenceProblem as problem:
            item.problem = f"the kept copy cannot be read ({problem.kind}: {problem.detail})"
    elif item.media_type in ("image/png", "image/jpeg"):
        return 1
    else:
        item.problem = f"unsupported media type {item.media_type!r}"
    warnings.append(
        f"{item.label} ({event.data.get('filename', path.name)}): {item.problem}; a notice page stands in for it."
    )
    return 1


# ---------------------------------------------------------------------------
# envelopes and e-mail


def write_envelope(pw: Paperwork, letter_id: int, out: Path) -> Path:
    """A #10 (US Letter locales) or DL (A4 locales) envelope for a letter."""
    _write(out, envelope_pdf(pw, letter_id)[1])
    return out


def envelope_pdf(pw: Paperwork, letter_id: int) -> tuple[str, bytes]:
    """The envelope's size ("no10" or "dl") and its PDF."""
    from paperwork.render.envelope import render_envelope

    letter = get_letter(pw, letter_id)
    size = "no10" if i18n.paper_for(letter.locale) == "letter" else "dl"
    return size, render_envelope(letter.document, size)


def letter_email(pw: Paperwork, letter_id: int, now: datetime) -> EmailMessage:
    """The letter as an RFC 5322 message with its PDF attached."""
    from paperwork.letters.mail import build_message, recipient_address

    letter = get_letter(pw, letter_id)
    case = pw.store.case(letter.case_id)
    kind = pw.catalog.get(letter.kind)
    if kind.recipient == "regulator":
        # the company's address would be wrong, and regulators take complaints
        # through their own forms or by post
        raise UserError(
            _(
                "letter {id} is addressed to a regulator, not to the company; file it on the"
                " regulator's website or send it by post."
            ).format(id=letter_id)
        )
    to = recipient_address(case, kind.recipient)
    sender = sender_for(pw, case)
    smtp = pw.config.smtp or {}
    from_addr = str(smtp.get("from") or sender.email or "")
    if not from_addr:
        raise UserError(
            _(
                "no sender e-mail address: give sender.email in the case or profile,"
                " or 'from' under [smtp] in config.toml."
            )
        )
    pdf = render_bytes(pw, letter, "pdf")
    filename = f"{output_stem(pw, letter)}.pdf"
    return build_message(
        letter.document, pdf, filename, to=to, sender=(sender.name, from_addr), now=now
    )


def write_email(
    pw: Paperwork, letter_id: int, out: Path, now: datetime, send: bool = False
) -> Path:
    """Write the .eml (always) and send it through the configured SMTP server if asked."""
    from paperwork.letters.mail import message_bytes, send_message
    from paperwork.store.config import config_file

    message = letter_email(pw, letter_id, now)
    _write(out, message_bytes(message))  # kept even if sending fails, to send by hand
    if send:
        send_message(message, pw.config.smtp or {}, source=str(config_file(pw.home)))
    return out
