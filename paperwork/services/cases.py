"""Cases and the sender profile: store, edit, archive, and whose name goes on the letters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.core.model import Case, Party
from paperwork.services.session import Paperwork


def set_profile(pw: Paperwork, party: Party) -> None:
    with pw.store.transaction(_("your profile saved")):
        pw.store.set_profile(party)


def get_profile(pw: Paperwork) -> Party | None:
    return pw.store.profile()


def _check_case(pw: Paperwork, case: Case, source: str) -> None:
    problems = []
    if case.sender is None and pw.store.profile() is None:
        problems.append(
            "sender: Missing data for required field (or save a profile first: paperwork profile set --from FILE)."
        )
    if case.ladder not in pw.ladders:
        problems.append(
            f"ladder: unknown ladder '{case.ladder}'; known: {', '.join(sorted(pw.ladders))}."
        )
    if problems:
        raise UserError(problems, source=source)


def new_case(pw: Paperwork, case: Case, today: date, source: str = "case") -> int:
    """Store a new case; returns its id."""
    _check_case(pw, case, source)
    with pw.store.transaction(_("new case “{title}”").format(title=case.title)):
        return pw.store.add_case(case, today)


def edit_case(pw: Paperwork, case_id: int, changes: dict[str, Any], source: str = "case") -> Case:
    """Replace the fields ``changes`` gives (already validated by the partial schema)."""
    with pw.store.transaction(_("case {id} edited").format(id=case_id)):
        case = pw.store.case(case_id)
        merged = replace(case, **changes)
        _check_case(pw, merged, source)
        pw.store.save_case(merged)
        return merged


def set_case_status(pw: Paperwork, case_id: int, status: str) -> Case:
    label = _("case {id} set to {status}").format(id=case_id, status=status)
    with pw.store.transaction(label):
        case = pw.store.case(case_id)
        case.status = status
        pw.store.save_case(case)
        return case


def list_cases(pw: Paperwork) -> list[Case]:
    """Every case, oldest first."""
    return pw.store.cases()


def get_case(pw: Paperwork, case_id: int) -> Case:
    """One case; a case id that is not in the store is the user's error."""
    return pw.store.case(case_id)


def case_title(pw: Paperwork, case_id: int) -> str:
    """A case's title alone (file names, headings), without loading the whole case."""
    return pw.store.case_title(case_id)


def sender_for(pw: Paperwork, case: Case) -> Party:
    sender = case.sender or pw.store.profile()
    if sender is None:
        raise UserError(
            _(
                "case {id} has no sender and no profile is saved; run 'paperwork profile set --from FILE'."
            ).format(id=case.id)
        )
    return sender


def load_case_changes(path: Path) -> dict[str, Any]:
    """A partial case file for ``case edit``: only the keys it gives."""
    from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file

    data = read_structured_file(path)
    changes: dict[str, Any] = load_with(CaseFileSchema(partial=True), data, str(path))
    return changes
