"""``reissue``: draft and render the next letter for every lapsed deadline, for cron."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.core.model import Case, Letter, stored_id
from paperwork.services.letters import draft_and_render
from paperwork.services.pool import share_quietly
from paperwork.services.schedule import due_rows
from paperwork.services.session import Paperwork
from paperwork.store.files import ensure_output_dir


def reissue_lapsed(
    pw: Paperwork,
    today: date,
    out_dir: Path,
    on_total: Callable[[int], None] | None = None,
    on_result: Callable[[Reissued], None] | None = None,
) -> list[Reissued]:
    """Draft and render the next letter for every step due by ``today``.

    Idempotent: a drafted next letter takes its step off ``due``. One case that
    fails does not stop the others; its row carries the reason. ``on_total`` hears
    how many steps there are, ``on_result`` each one as it is done (progress).
    """
    ensure_output_dir(out_dir)  # before any draft: a draft without files would be lost
    results: list[Reissued] = []
    rows = [row for row in due_rows(pw, today, horizon_days=0) if row.step.due <= today]
    if on_total:
        on_total(len(rows))
    for row in rows:
        try:
            letter, paths = draft_and_render(
                pw, stored_id(row.case.id), row.step.kind, today, out_dir
            )
        except UserError as exc:
            results.append(Reissued(row.case, row.step.kind, error="; ".join(exc.problems)))
        except Exception as exc:  # unexpected, but the other cases still go out
            error = _("unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")
            results.append(Reissued(row.case, row.step.kind, error=error))
        else:
            results.append(Reissued(row.case, row.step.kind, letter, paths))
        if on_result:
            on_result(results[-1])
    share_quietly(pw, None, today)  # cases in a pool: what is queued or new goes out
    return results


@dataclass
class Reissued:
    """One step ``reissue`` acted on: the new letter and its files, or why it failed."""

    case: Case
    kind: str
    letter: Letter | None = None
    paths: list[Path] = field(default_factory=list)
    error: str = ""
