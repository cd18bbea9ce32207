"""Property tests: any text in any case-file field, and any cell of a campaign row.

The cheap path runs for 500 examples per entry point: validate through the
marshmallow schema, then compose the letter (no rendering) and check that what
was accepted appears in the letter's text as typed. A small sample is rendered
to PDF and DOCX and read back with pypdf and python-docx.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import timedelta
from pathlib import Path

from hostile_helpers import TODAY, base_case, docx_text, pdf_body_text, set_path, squash
from hostile_text import hostile_text
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from paperwork.core.catalog import Catalog
from paperwork.core.errors import UserError
from paperwork.core.schema import CaseFileSchema, load_with
from paperwork.letters.compose import compose, printable_text

CHEAP = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RENDERED = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text fields of the case file and whether the complaint letter prints them.
TEXT_FIELDS = {
    "title": True,
    "summary": True,
    "remedy": True,
    "facts.0.text": True,
    "sender.name": True,
    "sender.address.0": True,
    "sender.phone": True,
    "company.name": True,
    "company.department": True,
    "company.address.1": True,
    "account_number": True,
    "references.0": True,
    "company.social": False,
    "sender.email": False,
    "company.email": False,
    "jurisdiction": False,
    "locale": False,
    "category": False,
    "ladder": False,
    "amount.value": False,
    "amount.currency": False,
    "facts.0.on": False,
}

_catalog = Catalog(None)
_kind = _catalog.get("complaint")
_check_home = Path(tempfile.mkdtemp(prefix="pw-fuzz-"))  # no store is ever opened here


def _printable_check(doc) -> None:
    """The services' font check (refuses glyphs the PDF font lacks) without opening a store."""
    from paperwork.services.letters import check_printable
    from paperwork.services.session import Paperwork

    check_printable(Paperwork(_check_home / "unused"), doc)


def _compose(case):
    return compose(
        case,
        _kind,
        catalog=_catalog,
        sender=case.sender,
        locale=case.locale,
        today=TODAY,
        reply_by=TODAY + timedelta(days=21),
    )


def _wanted(field: str, value: str) -> str:
    """What of ``value`` the letter prints literally: the remedy is inserted mid-sentence
    (paperwork.core.wording.inline: first letter's case and a final stop may change)."""
    wanted = squash(value.replace("\r\n", "\n").replace("\r", "\n"))
    if field == "remedy":
        wanted = wanted[1:].rstrip(".;,:")
    return wanted


def _accept_or_refuse(field: str, value: str):
    """Validate; returns the Case, or None after checking the refusal is a clean list of lines."""
    data = set_path(base_case(), field, value)
    try:
        return load_with(CaseFileSchema(), data, "case.json")
    except UserError as exc:
        assert exc.problems, "a refusal must say why"
        for line in exc.problems:
            assert line.startswith("case.json: "), line
        head = field.split(".")[0]
        assert any(head in line for line in exc.problems), exc.problems
        return None


@CHEAP
@given(field=st.sampled_from(sorted(TEXT_FIELDS)), value=hostile_text)
@example(field="summary", value="{{ 7*7 }}")
@example(field="title", value="<para>{% raw %}</para>")
@example(field="sender.name", value="x" * 20_000)
def test_any_text_in_any_field_is_accepted_literally_or_refused(field, value):
    case = _accept_or_refuse(field, value)
    if case is None:
        return
    try:
        doc = _compose(case)
        _printable_check(doc)
    except UserError as exc:
        assert exc.problems
        return
    text = printable_text(doc)
    if TEXT_FIELDS[field] and value.strip():
        assert _wanted(field, value) in squash(text)
    if "{{ 7*7 }}" in value:
        assert "49" not in text.replace("$89.99", "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.one_of(st.integers(min_value=0, max_value=6), st.sampled_from([499, 500, 501, 520])),
    text=hostile_text,
)
def test_any_number_of_facts(count, text):
    facts = [{"on": "2026-10-03", "text": f"{i} {text}"} for i in range(count)]
    case = _accept_or_refuse("facts", facts)
    if count > 500:
        assert case is None
        return
    if case is None:
        return
    try:
        doc = _compose(case)
    except UserError:
        return
    assert sum(p.startswith("- ") for p in doc.paragraphs) >= count


@RENDERED
@given(
    field=st.sampled_from([f for f, printed in TEXT_FIELDS.items() if printed]), value=hostile_text
)
@example(field="summary", value="<b>{{ 7*7 }}</b> & <font>")
@example(field="sender.address.0", value="&\u2028&")
def test_a_sample_renders_literally_in_pdf_and_docx(field, value):
    from paperwork.core import i18n
    from paperwork.render import layout_named, render_letter

    case = _accept_or_refuse(field, value)
    assume(case is not None)
    try:
        doc = _compose(case)
        _printable_check(doc)
    except UserError:
        assume(False)
    layout = layout_named(i18n.conventions(doc.locale)["layout"])
    pdf = squash(pdf_body_text(render_letter(doc, layout, "pdf")))
    docx = squash(docx_text(render_letter(doc, layout, "docx")))
    wanted = _wanted(field, value)
    assert wanted in pdf
    assert wanted in docx


# ---------------------------------------------------------------------------
# Campaign rows: the members CSV, one cell at a time


CAMPAIGN = {
    k: v
    for k, v in base_case().items()
    if k not in ("sender", "account_number", "references", "amount")
}
MEMBER = {
    "sender.name": "Jordan Rivera",
    "sender.address": "12 Elm Street\nSpringfield, IL 62704",
    "sender.email": "jordan@example.org",
    "account_number": "4471-9920",
    "references": "Ticket 1; Ticket 2",
    "amount.value": "89.99",
    "amount.currency": "USD",
}


@CHEAP
@given(column=st.sampled_from(sorted(MEMBER)), value=hostile_text)
def test_any_cell_of_a_campaign_row_is_accepted_or_named(column, value):
    from paperwork.aggregate.campaign import MembersFile, check_member, merge_member, problem_line

    path = _check_home / "members.csv"  # one file per process, rewritten by each example
    row = {**MEMBER, column: value}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(row))
        writer.writerow(list(row.values()))
    try:
        members = MembersFile(path)
        rows = list(members)
    except UserError as exc:
        assert exc.problems
        return
    from paperwork.aggregate.campaign import _cells_to_data

    for member in rows:
        if member.problems:
            lines = [problem_line(str(path), member.number, f, m) for f, m in member.problems]
            assert all(line.startswith(f"{path}: row ") for line in lines)
            continue
        case, problems = check_member(merge_member(CAMPAIGN, _cells_to_data(member.cells)))
        if case is None:
            assert problems
            continue
        if column == "sender.name" and value.strip():
            assert (
                case.sender.name == value.strip().replace("\r\n", "\n").replace("\r", "\n").strip()
            )
