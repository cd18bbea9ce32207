"""The whole store as one document: export (optionally redacted) and import."""

from __future__ import annotations

import json
from pathlib import Path

from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.services.session import Paperwork


def export_store(pw: Paperwork, redact: bool = False) -> bytes:
    """The whole store as JSON bytes; ``redact`` masks personal details for sharing."""
    doc = pw.store.export_document()
    if redact:
        from paperwork.store.redact import redact_export

        doc = redact_export(doc)
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def import_store(pw: Paperwork, path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(_("no such file."), source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(_("cannot be read ({exc}).").format(exc=exc), source=str(path)) from None
    except RecursionError:
        raise UserError(_("is nested too deeply."), source=str(path)) from None
    except json.JSONDecodeError as exc:
        raise UserError(
            _("broken JSON at line {lineno}, column {colno}: {msg}.").format(
                lineno=exc.lineno, colno=exc.colno, msg=exc.msg
            ),
            source=str(path),
        ) from None
    with pw.store.transaction():
        return pw.store.import_document(data, str(path))
