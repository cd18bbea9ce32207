"""``letter check``: a stored letter read by the checker (paperwork.letters.check),
with what the case, the catalogue, the layout and the deadline rules know about it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from paperwork.core.model import Case, Letter
from paperwork.letters.check import CheckContext, check_letter
from paperwork.services.session import Paperwork

# roles whose letters go to the company itself (its complaints team, billing
# address, executive office...), as opposed to a bank, bureau, regulator or court
_COMPANY_ROLES = {"complaints", "billing_inquiries", "billing", "executive", "legal", "retention"}
# the channel a draft's reply-by date assumes (services.letters drafts with it)
_KIND_CHANNEL = {
    "registered": "registered",
    "certified": "certified",
    "ordinary": "post",
    "email": "email",
}


def _inserted_values(case: Case, pw: Paperwork, letter: Letter) -> list[str]:
    """Texts from the record that a body template may have inserted."""
    values = [case.summary, case.third_party_summary, case.remedy, *(f.text for f in case.facts)]
    values += [v for v in vars(case.details).values() if isinstance(v, str)]
    ask = getattr(letter, "ask", "")
    if isinstance(ask, str):
        values.append(ask)
    for event in pw.store.events(case.id):
        values += [v for v in event.data.values() if isinstance(v, str)]
    return [v for v in values if v]


def _names(pw: Paperwork, case: Case, letter: Letter) -> list[str]:
    from paperwork.core.catalog import find_authority, find_court

    names = [case.company.name, case.company.department, *letter.document.recipient_lines]
    kind = pw.letter_kind(letter.kind)
    for category in {case.category, kind.regulator_category if kind else ""} - {""}:
        body = find_authority(case.jurisdiction, category, pw.user_regulators)
        if body is not None:
            names.append(body.name(letter.locale))
    court = find_court(case.jurisdiction, pw.user_regulators)
    if court is not None:
        names += list(court.names.values())
    names += [contact.name for contact in case.contacts]
    names += [case.account_number, *case.references]  # identifiers read like names
    if case.sender is not None:
        names.append(case.sender.name)
    names.append(letter.document.sender_name)
    return [n for n in names if n]


class _LazyNames(Sequence[str]):
    """The names a letter may mention, read (from the regulators directory too) only
    if the checker asks for them: most letters never need them."""

    def __init__(self, compute: Callable[[], list[str]]) -> None:
        self._compute = compute
        self._names: list[str] | None = None

    def _all(self) -> list[str]:
        if self._names is None:
            self._names = self._compute()
        return self._names

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


def letter_findings(
    pw: Paperwork, letter_id: int, pdf: bytes | None = None, read_pages: bool = True
) -> list[str]:
    """What the checker finds in letter ``letter_id``, one line each ("letter N: ...").
    ``pdf`` is its rendered PDF when the caller has it already; ``read_pages=False``
    leaves out what only the printed pages show (a closing alone on a page)."""
    from paperwork.render.pdf import address_width
    from paperwork.services.letters import layout_for, render_bytes

    letter = pw.store.letter(letter_id)
    case = pw.store.case(letter.case_id)
    doc = letter.document
    kind = pw.letter_kind(letter.kind)
    layout = layout_for(pw, letter)
    if pdf is None and read_pages:
        pdf = render_bytes(pw, letter, "pdf")

    to_company = bool(doc.recipient_lines) and doc.recipient_lines[0].casefold() == (
        case.company.name.casefold()
    )
    if kind is not None and kind.recipient not in _COMPANY_ROLES:
        to_company = False
    regulator = kind is not None and kind.recipient == "regulator"
    context = CheckContext(
        recipient_country=case.country if regulator or to_company else "",
        recipient_is_company=to_company,
        jurisdiction=case.jurisdiction,
        channel=_KIND_CHANNEL.get(kind.delivery_for(case.jurisdiction), "post") if kind else "post",
        window=letter.window if kind is not None else "",
        max_lines=layout.recipient_max_lines,
        max_width=layout.recipient_width * 72 / 25.4,
        measure=address_width,
        inserted=_inserted_values(case, pw, letter),
        names=_LazyNames(lambda: _names(pw, case, letter)),
        pages=page_texts(pdf) if pdf is not None else None,
    )
    if to_company and case.company.country:
        context = _with_country(context, case.company.country)
    return [f"letter {letter_id}: {problem}" for problem in check_letter(doc, context)]


def _with_country(context: CheckContext, country: str) -> CheckContext:
    from dataclasses import replace

    return replace(context, recipient_country=country)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page of a rendered letter."""
    import io

    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
