"""Writing files safely: atomic renames, private permissions, safe names."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

# What the files folder keeps: content-addressed copies named <sha256 hex><suffix>.
KEPT_SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
_DIGEST = re.compile(r"[0-9a-f]{64}")


def is_digest(value: object) -> bool:
    """Whether ``value`` is a SHA-256 hex digest (the only name a kept file has)."""
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None


# Names Windows refuses whatever the extension; a title such as "CON" must not become one.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700 whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)
    return path


def ensure_output_dir(path: Path) -> Path:
    """The folder the person asked output to go to, created if needed; a clear
    UserError when it cannot be (a file in the way, no permission)."""
    from paperwork.core.errors import UserError
    from paperwork.core.i18n import _

    try:
        if not path.exists():
            ensure_private_dir(path)
    except OSError as exc:
        raise UserError(
            _("{path}: cannot create the output folder ({reason}).").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None
    if not path.is_dir():
        raise UserError(_("{path}: is not a folder.").format(path=path))
    return path


def atomic_write(path: Path, data: bytes, mode: int = PRIVATE_FILE, durable: bool = True) -> Path:
    """Write ``data`` to a temporary name beside ``path``, then rename it into place,
    so a crash never leaves half a file under the final name.

    ``durable=False`` skips the flush to disk (a killed process still leaves whole
    files; only a power cut could lose them): for batches that call
    :func:`sync_folder` once at the end.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_output(path: Path, data: bytes) -> Path:
    """:func:`atomic_write` for a file the person asked for: a failure is one line
    naming the path (a full disk, a folder that cannot be written)."""
    from paperwork.core.errors import UserError
    from paperwork.core.i18n import _

    try:
        return atomic_write(path, data)
    except OSError as exc:
        raise UserError(
            _("{path}: cannot write ({strerror}).").format(path=path, strerror=exc.strerror)
        ) from None


def sync_folder(folder: Path) -> None:
    """Flush a folder's files and entries to disk (after a batch of non-durable writes)."""
    os.sync()
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def safe_stem(text: str, limit: int = 60) -> str:
    """A file-name stem from free text: ASCII letters, digits and dashes only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:limit].strip("-")
    if not stem or stem in _RESERVED:
        stem = f"letter-{stem}" if stem else "letter"
    return stem


def unique_path(folder: Path, stem: str, suffix: str, taken: set[Path] | None = None) -> Path:
    """``folder/stem.suffix``, or ``stem-2.suffix``... if that name already exists."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists() or (taken is not None and candidate in taken):
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
