"""Sample cases that fit their letter kinds (paperwork/sample/cases/*.toml).

Each file holds a case file under ``[case]``, the record a letter cites under
``[[record]]`` (calls, replies, letters sent, outcomes, in date order), the date its
letters are drafted on (``letter_on``), the kinds that fit it (``kinds``), those its
record rules out (``refused``), a request for ``letter draft --ask`` (``ask``) and
the stalling tactic its recorded reply uses (``tactic``, for a stalling_reply).
An ``evidence`` record (``title``, ``text``) becomes a one-page PDF kept like any
``evidence add``, so letters list it under their enclosures.
The tests draft every listed kind; the demo loads one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from paperwork.core.model import Letter, stored_id
from paperwork.core.resources import package_file
from paperwork.core.schema import CaseFileSchema, load_with
from paperwork.letters.compose import LetterOptions
from paperwork.services.cases import new_case
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent
from paperwork.services.session import Paperwork


@dataclass
class Sample:
    """A loaded sample: its case id and what the file says about it."""

    name: str
    case_id: int
    letter_on: date
    kinds: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    ask: str = ""
    locale: str = ""
    # the kinds whose request ``ask`` is (a card refund is the issuer's job, not the
    # merchant's); empty: the kinds in ASKING
    ask_kinds: list[str] = field(default_factory=list)
    # what the company's recorded reply does ("policy", "call_us", "send_id"...)
    tactic: str = "policy"


def sample_names() -> list[str]:
    """The shipped samples, by file name without ``.toml``."""
    folder = package_file("sample", "cases")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def read_sample(name: str) -> dict[str, Any]:
    return tomllib.loads(package_file("sample", "cases", f"{name}.toml").read_text("utf-8"))


def load_sample(pw: Paperwork, name: str) -> Sample:
    """Create the sample's case and replay its record (calls, replies, letters sent)."""
    data = read_sample(name)
    case = load_with(CaseFileSchema(), data["case"], f"{name}.toml")
    records = sorted(data.get("record", []), key=lambda r: r["on"])
    created = records[0]["on"] if records else data["letter_on"]
    case_id = new_case(pw, case, min(created, data["letter_on"]), source=f"{name}.toml")
    for item in records:
        kind, on = item["type"], item["on"]
        if kind == "letter":
            letter = draft_letter(pw, case_id, item["kind"], on)
            mark_sent(
                pw, stored_id(letter.id), on, item.get("via", "post"), item.get("tracking", "")
            )
        elif kind == "call":
            fields = ("waited", "duration", "rep", "ref", "promised", "notes")
            log_event(pw, case_id, "call", on, {k: item[k] for k in fields if k in item})
        elif kind == "response":
            log_event(pw, case_id, "response", on, {"summary": item.get("summary", "")})
        elif kind == "evidence":
            _add_sample_evidence(pw, case_id, on, item["title"], item.get("text", ""), case.locale)
        else:
            log_event(
                pw, case_id, kind, on, {k: v for k, v in item.items() if k not in ("type", "on")}
            )
    return Sample(
        name=name,
        case_id=case_id,
        letter_on=data["letter_on"],
        kinds=list(data.get("kinds", [])),
        refused=list(data.get("refused", [])),
        ask=str(data.get("ask", "")),
        locale=case.locale,
        ask_kinds=list(data.get("ask_kinds", [])),
        tactic=str(data.get("tactic", "policy")),
    )


def _add_sample_evidence(
    pw: Paperwork, case_id: int, on: date, title: str, text: str, locale: str
) -> None:
    """A sample's piece of evidence: a one-page PDF of ``text``, added as ``evidence add``
    would add a scan (checked, kept in the data folder, listed under enclosures)."""
    import tempfile
    from pathlib import Path

    from paperwork.core.i18n import paper_for
    from paperwork.render.bundle import notice_page_pdf
    from paperwork.services.record import add_evidence

    data = notice_page_pdf(title, text or title, paper_for(locale))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evidence.pdf"
        path.write_bytes(data)
        add_evidence(pw, case_id, path, on, title)


# Kinds whose request the sample's ``ask`` states (the others ask for their own part).
ASKING = ("complaint", "retention_request", "intent_to_cancel", "chargeback_request")


def draft_sample_kind(
    pw: Paperwork,
    sample: Sample,
    kind: str,
    ask: str | None = None,
    tactic: str | None = None,
    notes: list[str] | None = None,
) -> Letter:
    """Draft ``kind`` for a loaded sample on its letter date (the sample's ``ask`` for
    the kinds in ASKING unless ``ask`` is given; for a stalling_reply, the sample's own
    tactic unless ``tactic`` is given)."""
    if ask is None:
        ask = sample.ask if kind in (sample.ask_kinds or ASKING) else ""
    if tactic is None:
        tactic = sample.tactic
    return draft_letter(
        pw,
        sample.case_id,
        kind,
        sample.letter_on,
        tactic=tactic if kind == "stalling_reply" else "",
        options=LetterOptions(ask=ask),
        notes=notes,
    )
