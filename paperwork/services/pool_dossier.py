"""``pool dossier``: the organiser's collective letters rendered to PDF and DOCX."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperwork.core.catalog import find_authority
from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.letters.compose import opening_and_closing, recipient_lines
from paperwork.letters.pool_dossier import (
    chart_rows,
    dossier_letter,
    dossier_words,
    timeline,
    timeline_words,
)
from paperwork.services.cases import sender_for
from paperwork.services.session import Paperwork
from paperwork.store.files import ensure_output_dir, safe_stem, write_output

if TYPE_CHECKING:
    from paperwork.services.pool import Figures

REPLY_DAYS = 28  # the collective letters ask for an answer within four weeks


def _write_letters(
    pw: Paperwork,
    case_id: int,
    known: Figures,
    out_dir: Path,
    today: date,
    series: dict[str, Any] | None = None,
) -> list[Path]:
    """Both letters, each as PDF (chart annexed) and DOCX, in the case's locale."""
    from paperwork.core import i18n
    from paperwork.render import render_letter
    from paperwork.render.pool_chart import annex_pdf, docx_with_annex, pdf_with_annex
    from paperwork.services.letters import layout_for

    case = pw.store.case(case_id)
    locale = case.locale
    sender = sender_for(pw, case)
    figures = {**known.stats, "as_of": known.as_of_day.isoformat()}
    body = find_authority(case.jurisdiction, case.category, pw.user_regulators)
    regulator = body.name(locale) if body else ""
    reply_by = today + timedelta(days=REPLY_DAYS)
    titles = {k.id: k.title(locale) for k in pw.catalog.kinds.values() if locale in k.locales}
    rows = chart_rows(figures, titles)
    words = dossier_words(locale)
    as_of = i18n.long_date(known.as_of_day, locale)
    chart_title = words["chart_title"].format(as_of=as_of)
    over_time = timeline_words(locale)
    over_time["title"] = over_time["title"].format(as_of=as_of)
    points = timeline(series)
    pressure = (points, over_time, locale) if points else None
    targets = [("executive", pw.catalog.get("escalation_executive"))]
    if body is not None:
        targets.append(("regulator", pw.catalog.get("regulator_complaint")))
    ensure_output_dir(out_dir)
    paths: list[Path] = []
    for to, kind in targets:
        recipient = recipient_lines(case, kind, locale, pw.user_regulators)
        if to == "executive" and not any(c.role == "executive" for c in case.contacts):
            # No named chief executive on the case: the office, at the company's address.
            recipient = [case.company.name, words["chief_executive"], *case.company.address]
        salutation, closing = opening_and_closing(case, kind, locale)
        doc = dossier_letter(
            to,
            figures,
            locale=locale,
            sender=sender,
            recipient=recipient,
            regulator=regulator,
            today=today,
            reply_by=reply_by,
            salutation=salutation,
            closing=closing,
        )
        from paperwork.core.model import Letter

        layout = layout_for(pw, Letter(case_id, kind.id, locale, today, "", doc))
        stem = f"pool-{to}-{safe_stem(str(figures.get('company', '')), 40)}"
        pdf = pdf_with_annex(
            render_letter(doc, layout, "pdf"),
            annex_pdf(chart_title, words["chart_caption"], rows, i18n.paper_for(locale), pressure),
        )
        docx = docx_with_annex(
            render_letter(doc, layout, "docx"), chart_title, words["chart_caption"], rows, pressure
        )
        for suffix, data in (("pdf", pdf), ("docx", docx)):
            paths.append(write_output(out_dir / f"{stem}.{suffix}", data))
    return paths


def write_dossier(pw: Paperwork, case_id: int, out_dir: Path, today: date) -> list[Path]:
    """Organiser: the collective letters (chief executive, regulator) as PDF and DOCX."""
    from paperwork.services.pool import _organiser, figures

    _organiser(pw, case_id)  # only the organiser holds the key to sign for the pool
    known = figures(pw, case_id, fetch=True)
    if known is None:
        raise UserError(
            _("case {id}: no figures yet; the pool server must answer once.").format(id=case_id)
        )
    if not known.counted:
        # a collective letter "from fewer than K customers" would undo the pool's point
        raise UserError(
            _(
                "case {id}: the pool counts fewer than its threshold of {k} members, so its figures cannot be stated yet; write the dossier once more people have joined ('paperwork pool stats {id}')."
            ).format(id=case_id, k=known.stats.get("threshold", "?"))
        )
    return _write_letters(pw, case_id, known, out_dir, today, pressure_series(pw, case_id))


def pressure_series(pw: Paperwork, case_id: int) -> dict[str, Any] | None:
    """The pool's letters and members week by week, when the server answers (else None:
    the dossier then goes without its time chart)."""
    from paperwork.aggregate import pool_client
    from paperwork.services.pool import membership

    member = membership(pw, case_id)
    try:
        return pool_client.fetch_series(member.server, member.pool)
    except pool_client.PoolError:
        return None
