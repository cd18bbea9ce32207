"""The sample case: what ``paperwork demo`` loads so a newcomer sees a real letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from paperwork.core.i18n import _
from paperwork.core.model import stored_id
from paperwork.core.resources import package_file
from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file
from paperwork.services.cases import list_cases, new_case
from paperwork.services.letters import draft_letter, write_letter_files
from paperwork.services.session import Paperwork

SAMPLE = "sample_case.json"


def sample_case_path() -> Path:
    """Where the shipped sample case file is."""
    return Path(str(package_file("sample", SAMPLE)))


def load_demo(pw: Paperwork, out_dir: Path, today: date) -> list[Path]:
    """Load the sample case once (reusing it on later runs), draft its complaint
    if it has none, and render the letter into ``out_dir``."""
    path = sample_case_path()
    case = load_with(CaseFileSchema(), read_structured_file(path), SAMPLE)
    existing = next((c for c in list_cases(pw) if c.title == case.title), None)
    case_id = existing.id if existing and existing.id else new_case(pw, case, today, source=SAMPLE)
    letters = [lt for lt in pw.store.letters(case_id) if lt.kind == "complaint"]
    letter = letters[0] if letters else draft_letter(pw, case_id, "complaint", today)
    return write_letter_files(pw, stored_id(letter.id), out_dir, ("pdf", "docx"))


def load_demo_sample(pw: Paperwork, name: str, out_dir: Path) -> list[Path]:
    """Load one of the sample cases (paperwork/sample/cases) with its history, draft
    every kind that fits it on the sample's letter date and render them."""
    from paperwork.core.errors import UserError
    from paperwork.services.samples import draft_sample_kind, load_sample, sample_names

    if name not in sample_names():
        raise UserError(
            _("--sample: unknown sample '{name}'; samples: {known}.").format(
                name=name, known=", ".join(sample_names())
            )
        )
    sample = load_sample(pw, name)
    paths: list[Path] = []
    for kind in sample.kinds:
        try:
            letter = draft_sample_kind(pw, sample, kind)
        except UserError:
            continue  # e.g. a regulator without a postal address in this data folder
        paths.extend(write_letter_files(pw, stored_id(letter.id), out_dir, ("pdf", "docx")))
    return paths
