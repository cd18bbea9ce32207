"""Every sample case drafts every kind that fits it, in en_US and en_GB: the right
recipient, the history cited, the --ask text inside a sentence, references labelled by
whose they are, no URL in the address block, the reply-by date equal to the deadline
engine's, and the PDF and DOCX carry the same text."""

from __future__ import annotations

import io
import re

import pytest

from paperwork.core.catalog import THIRD_PARTIES, Catalog, find_authority
from paperwork.core.errors import UserError
from paperwork.core.i18n import long_date
from paperwork.letters.compose import LetterOptions
from paperwork.services.letters import draft_letter, kind_channel, mark_sent, render_bytes
from paperwork.services.samples import (
    ASKING,
    draft_sample_kind,
    load_sample,
    read_sample,
    sample_names,
)

ENGLISH = [n for n in sample_names() if read_sample(n)["case"]["locale"] in ("en_US", "en_GB")]
PAIRS = [(name, kind) for name in ENGLISH for kind in read_sample(name)["kinds"]]
URL = re.compile(r"https?://|www\.", re.I)


def _fit_regulator(pw, sample) -> None:
    """Until branch regs gives every body a postal address, give the case one."""
    case = pw.store.case(sample.case_id)
    kind = Catalog(None).get("regulator_complaint")
    body = find_authority(case.jurisdiction, kind.regulator_category or case.category)
    if body is not None and not body.address:
        from paperwork.core.model import Contact

        case.contacts.append(
            Contact("regulator", body.name(case.locale), ["PO Box 100", "Capital City"])
        )
        pw.store.save_case(case)


def _text(doc) -> str:
    return " ".join([doc.subject, *doc.paragraphs])


@pytest.mark.parametrize(("name", "kind"), PAIRS, ids=[f"{n}-{k}" for n, k in PAIRS])
def test_sample_kind_drafts_a_letter_that_fits(pw, run_cli, name, kind):
    import docx
    from pypdf import PdfReader

    sample = load_sample(pw, name)
    if kind == "regulator_complaint":
        _fit_regulator(pw, sample)
    catalog = Catalog(None)
    spec = catalog.get(kind)
    notes: list[str] = []
    ask = sample.ask if kind in ASKING else ""
    letter = draft_sample_kind(pw, sample, kind, ask=ask, tactic="call_us", notes=notes)
    doc = letter.document
    text = _text(doc)
    case = pw.store.case(sample.case_id)
    # the right recipient: a contact with the kind's role, or the company with the role named
    contact = next((c for c in case.contacts if c.role == spec.recipient), None)
    if contact is not None:
        assert contact.name in doc.recipient_lines
    elif spec.recipient not in THIRD_PARTIES:
        assert doc.recipient_lines[0] == case.company.name
    else:
        assert doc.recipient_lines[0] != case.company.name
    assert not any(URL.search(line) for line in doc.recipient_lines)
    # references labelled by whose they are
    labels = [label for label, _value in doc.references]
    if spec.recipient in THIRD_PARTIES:
        assert "Your reference" not in labels and "your reference" not in text
        if case.references:
            assert f"Reference with {case.company.name}" in labels
    # history: an escalation cites the earlier letter and the call by date
    events = pw.store.events(sample.case_id)
    sent = [lt for lt in pw.store.letters(sample.case_id) if lt.sent_on]
    if "earlier_letter" in spec.inputs or "earlier_contact" in spec.inputs:
        assert long_date(sent[-1].sent_on, case.locale) in text
    if kind == "confirm_call":
        call = max((e for e in events if e.kind == "call"), key=lambda e: e.on)
        assert long_date(call.on, case.locale) in text and call.data["rep"] in text
    if kind == "stalling_reply":
        reply = max((e for e in events if e.kind == "response"), key=lambda e: e.on)
        assert long_date(reply.on, case.locale) in text
    # the --ask text reads inside a sentence: lower-case start, no doubled full stop
    if ask:
        assert ask in text and ask[0].islower()
    assert ".." not in text.replace("...", "")
    # nothing for the user in the letter; a web address only where the letter names the
    # regulator's online route as an alternative to post
    body = find_authority(case.jurisdiction, spec.regulator_category or case.category)
    website = body.website if body is not None and spec.recipient == "regulator" else ""
    paragraphs = [p for p in doc.paragraphs if not (website and website in p)]
    assert "For your information" not in text and not URL.search(" ".join(paragraphs))
    # the FTC click-to-cancel rule is never cited
    assert "click-to-cancel" not in text.lower() and "Negative Option" not in text
    # reply-by date: the one case show gives once the letter is sent that day
    mark_sent(pw, letter.id, sample.letter_on, kind_channel(spec, case))
    import json

    code, out, _err = run_cli("case", "show", str(sample.case_id), "--json")
    assert code == 0
    shown = next(lt for lt in json.loads(out)["letters"] if lt["id"] == letter.id)
    assert shown["deadline"] == doc.reply_by_iso
    if kind not in ("cancellation_notice",):
        assert doc.reply_by in text
    # the executive letter stays short
    if kind == "escalation_executive":
        assert len(" ".join(doc.paragraphs).split()) <= 250
    # the rendered files carry the text
    pdf = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(render_bytes(pw, letter, "pdf"))).pages
        ).split()
    )
    assert " ".join(doc.paragraphs[0].split())[:60] in pdf
    assert not any(URL.search(line) for line in doc.recipient_lines)
    body = " ".join(
        p.text for p in docx.Document(io.BytesIO(render_bytes(pw, letter, "docx"))).paragraphs
    )
    assert " ".join(doc.paragraphs[0].split())[:60] in " ".join(body.split())


@pytest.mark.parametrize("name", [n for n in ENGLISH if read_sample(n).get("refused")])
def test_a_recorded_cancellation_rules_out_the_kinds_that_threaten_one(pw, name):
    sample = load_sample(pw, name)
    for kind in sample.refused:
        with pytest.raises(UserError) as err:
            draft_letter(pw, sample.case_id, kind, sample.letter_on, options=LetterOptions(ask="x"))
        assert "already records a cancellation" in str(err.value), kind


OTHER = [n for n in sample_names() if n not in ENGLISH]
OTHER_PAIRS = [(name, kind) for name in OTHER for kind in read_sample(name)["kinds"]]


@pytest.mark.parametrize(("name", "kind"), OTHER_PAIRS, ids=[f"{n}-{k}" for n, k in OTHER_PAIRS])
def test_the_other_samples_fit_their_kinds(pw, name, kind):
    """The German, French and Spanish samples give every listed kind what it needs."""
    sample = load_sample(pw, name)
    if kind == "regulator_complaint":
        _fit_regulator(pw, sample)
    letter = draft_sample_kind(pw, sample, kind)
    assert letter.document.paragraphs
    assert not any(URL.search(line) for line in letter.document.recipient_lines)
