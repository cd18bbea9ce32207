"""The whole store as one file: export (optionally redacted) and import.

Two forms:

- the JSON document alone (``export --out FILE.json``): the records, as DESIGN
  describes; kept files (evidence, the frozen PDFs of sent letters) stay behind;
- an archive (``export --out FILE.zip``): a zip holding ``manifest.json`` (every
  member's SHA-256), ``paperwork-export.json`` (the same document) and
  ``files/<sha256><suffix>`` for every kept file the records name. Members are
  written in a fixed order with fixed timestamps, so export → import → export
  gives the same bytes.

``import`` reads both and verifies everything (every checksum, every row, every
file reference) before it touches the store.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.services.session import Paperwork
from paperwork.store.database import check_document, evidence_reference
from paperwork.store.files import KEPT_SUFFIXES, atomic_write, ensure_private_dir, is_digest

ARCHIVE_FORMAT = "paperwork-archive"
ARCHIVE_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENT = "paperwork-export.json"
_STAMP = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: the same for every export
_MAX_MEMBER = 64 * 1024 * 1024  # larger than any evidence file or letter Paperwork keeps
_MAX_MEMBERS = 200_000


def is_archive_name(path: Path) -> bool:
    """Whether ``export --out`` should write the archive form (the name ends in .zip)."""
    return path.suffix.lower() == ".zip"


def _document_bytes(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def export_store(pw: Paperwork, redact: bool = False) -> bytes:
    """The whole store as JSON bytes; ``redact`` masks personal details for sharing."""
    doc = pw.store.export_document()
    if redact:
        from paperwork.store.redact import leftovers, redact_export

        redacted = redact_export(doc)
        # the self-check: every personal value of the store, searched for in the
        # output in the forms people write it; nothing is written if one is left
        left = leftovers(doc, redacted)
        if left:
            field, where = left[0]
            raise UserError(
                _(
                    "--redact: the redacted export would still hold personal data ({field}, found in {where}); nothing was written."
                ).format(field=field, where=where)
            )
        doc = redacted
    return _document_bytes(doc)


def export_archive(pw: Paperwork) -> tuple[bytes, list[str]]:
    """The store and every kept file it refers to as one zip; also the names of the
    kept files that were already missing from the data folder (left out)."""
    members: list[tuple[str, bytes]] = [(DOCUMENT, export_store(pw))]
    missing: list[str] = []
    for digest, suffix in pw.store.kept_references():
        path = pw.store.kept_path(digest, suffix)
        name = f"{digest}{suffix}"
        try:
            data = path.read_bytes() if path is not None else b""
        except OSError:
            data = b""
        if not data:
            missing.append(name)
            continue
        members.append((f"files/{name}", data))
    manifest = {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in members},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [(MANIFEST, _document_bytes(manifest)), *members]:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.create_system = 3
            info.external_attr = 0o600 << 16
            # PDFs, PNGs and JPEGs are compressed already; the JSON is not
            info.compress_type = (
                zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
            )
            archive.writestr(info, data, compresslevel=6 if name.endswith(".json") else None)
    return buffer.getvalue(), missing


# ---------------------------------------------------------------------------
# import


def _read_json(raw: bytes, source: str) -> object:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(_("cannot be read ({exc}).").format(exc=exc), source=source) from None
    except RecursionError:
        raise UserError(_("is nested too deeply."), source=source) from None
    except json.JSONDecodeError as exc:
        raise UserError(
            _("broken JSON at line {lineno}, column {colno}: {msg}.").format(
                lineno=exc.lineno, colno=exc.colno, msg=exc.msg
            ),
            source=source,
        ) from None


def _read_archive(raw: bytes, source: str) -> tuple[object, dict[str, bytes]]:
    """The document and the kept files of an archive, every checksum verified."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UserError(
            _("is not a readable archive ({exc}).").format(exc=exc), source=source
        ) from None
    if len(infos) > _MAX_MEMBERS:
        raise UserError(_("holds too many files to be a Paperwork export."), source=source)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise UserError(
            _("holds the same name twice; it was not made by Paperwork."), source=source
        )
    contents: dict[str, bytes] = {}
    for info in infos:
        if info.file_size > _MAX_MEMBER:
            raise UserError(
                _("{name}: too large to be a file Paperwork keeps.").format(name=info.filename),
                source=source,
            )
        try:
            with archive.open(info) as handle:
                data = handle.read(_MAX_MEMBER + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise UserError(
                _("{name}: cannot be read ({exc}).").format(name=info.filename, exc=exc),
                source=source,
            ) from None
        if len(data) > _MAX_MEMBER:
            raise UserError(
                _("{name}: too large to be a file Paperwork keeps.").format(name=info.filename),
                source=source,
            )
        contents[info.filename] = data
    if MANIFEST not in contents or DOCUMENT not in contents:
        raise UserError(
            _("is not a Paperwork export archive (no {manifest} and {document}).").format(
                manifest=MANIFEST, document=DOCUMENT
            ),
            source=source,
        )
    manifest = _read_json(contents.pop(MANIFEST), f"{source}: {MANIFEST}")
    listed = manifest.get("files") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != ARCHIVE_FORMAT
        or not isinstance(listed, dict)
    ):
        raise UserError(
            _('{manifest}: is not a Paperwork manifest (no "format": "{format}").').format(
                manifest=MANIFEST, format=ARCHIVE_FORMAT
            ),
            source=source,
        )
    if manifest.get("version") != ARCHIVE_VERSION:
        raise UserError(
            _("{manifest}: version {version!r} is not supported.").format(
                manifest=MANIFEST, version=manifest.get("version")
            ),
            source=source,
        )
    files: dict[str, bytes] = {}
    for name in sorted(contents):
        data = contents[name]
        if name not in listed:
            raise UserError(_("{name}: is not in the manifest.").format(name=name), source=source)
        if hashlib.sha256(data).hexdigest() != listed[name]:
            raise UserError(
                _(
                    "{name}: its SHA-256 checksum does not match the manifest; the archive is damaged."
                ).format(name=name),
                source=source,
            )
        if name == DOCUMENT:
            continue
        folder, _slash, base = name.partition("/")
        digest, dot, suffix = base.partition(".")
        if (
            folder != "files"
            or not is_digest(digest)
            or f"{dot}{suffix}" not in KEPT_SUFFIXES.values()
        ):
            raise UserError(
                _(
                    "{name}: is not a file Paperwork keeps (files/<sha256>.pdf, .png or .jpg)."
                ).format(name=name),
                source=source,
            )
        if hashlib.sha256(data).hexdigest() != digest:
            raise UserError(
                _("{name}: its content does not match its name; the archive is damaged.").format(
                    name=name
                ),
                source=source,
            )
        files[base] = data
    for name in listed:
        if name not in contents:
            raise UserError(
                _("{name}: listed in the manifest but missing from the archive.").format(name=name),
                source=source,
            )
    return _read_json(contents[DOCUMENT], f"{source}: {DOCUMENT}"), files


def read_export(path: Path) -> tuple[object, dict[str, bytes]]:
    """An export file (JSON or archive) as (document, kept files by name)."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(_("no such file."), source=source) from None
    except OSError as exc:
        raise UserError(
            _("cannot be read ({exc}).").format(exc=exc.strerror or exc), source=source
        ) from None
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        return _read_archive(raw, source)
    return _read_json(raw, source), {}


def import_store(pw: Paperwork, path: Path) -> dict[str, int]:
    """Load an export (JSON or archive) into an empty data folder, all checked first."""
    doc, files = read_export(path)
    source = str(path)
    if isinstance(doc, dict) and doc.get("format") == "paperwork-export":
        # every row and reference is checked before the store is touched
        _cases, letters, events, _settings = check_document(doc, source)
        refs = {f"{letter.pdf_sha256}.pdf" for letter in letters if letter.pdf_sha256}
        for event in events:
            ref = evidence_reference(event.data)
            if ref:
                refs.add("".join(ref))
        extra = sorted(set(files) - refs)
        if extra:
            raise UserError(
                _(
                    "files/{name}: no record refers to it; the archive was not made by Paperwork."
                ).format(name=extra[0]),
                source=source,
            )
    else:
        refs = set()
    with pw.store.transaction():
        counts = pw.store.import_document(doc, source)
        if files:
            ensure_private_dir(pw.store.files_dir)
        for name, data in sorted(files.items()):
            target = pw.store.files_dir / name
            if not target.is_file():
                atomic_write(target, data)
    missing = sorted(name for name in refs if not (pw.store.files_dir / name).is_file())
    counts["files"] = len(files)
    counts["missing"] = len(missing)
    return counts
