"""Inputs for the benchmark: data folders, campaign files, photos, a long PDF.

Everything is generated (nothing is downloaded) and deterministic. Large inputs
(the photos and the 300-page PDF) are cached between runs in the cache folder,
because making 50 twelve-megapixel JPEGs takes longer than bundling them.
"""

from __future__ import annotations

import copy
import csv
import json
from datetime import date, timedelta
from pathlib import Path

from paperwork.services.cases import new_case
from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent

ROOT = Path(__file__).resolve().parent.parent
CASE_FILE = ROOT / "tests" / "data" / "case_us_ma.toml"
TODAY = date(2026, 11, 26)
KIND = "billing_dispute"
FIRST_RUNG = "complaint"  # the standard ladder's first letter: `due` schedules what follows it


def load_case():
    from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file

    return load_with(CaseFileSchema(), read_structured_file(CASE_FILE), str(CASE_FILE))


def letter_home(home: Path):
    """A data folder with one case and one drafted letter; returns (Paperwork, letter)."""
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    case_id = new_case(pw, load_case(), TODAY)
    letter = draft_letter(pw, case_id, KIND, TODAY)
    return pw, letter


# ---------------------------------------------------------------------------
# campaign


def campaign_files(folder: Path, rows: int) -> tuple[Path, Path]:
    """A campaign file (the sample case without its personal parts) and a members
    CSV of ``rows`` distinct people."""
    from paperwork.core.schema import read_structured_file

    folder.mkdir(parents=True, exist_ok=True)
    data = read_structured_file(CASE_FILE)
    for personal in ("sender", "account_number", "references", "amount"):
        data.pop(personal, None)
    campaign = folder / "campaign.json"
    campaign.write_text(json.dumps(data, default=str, indent=2), encoding="utf-8")
    members = folder / f"members-{rows}.csv"
    streets = (
        "Prospect St",
        "Elm Street",
        "Oak Avenue",
        "Harbor Road",
        "Maple Lane",
        "Summer Street",
    )
    first = (
        "Sam",
        "Jordan",
        "Alex",
        "Robin",
        "Casey",
        "Morgan",
        "Riley",
        "Jamie",
        "Avery",
        "Quinn",
    )
    last = (
        "O'Brien",
        "Nguyen",
        "Okafor",
        "Rivera",
        "Schmidt",
        "Dubois",
        "García",
        "Kowalski",
        "Smith",
        "Chen",
    )
    with members.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(
            [
                "sender.name",
                "sender.address",
                "sender.country",
                "sender.email",
                "account_number",
                "amount.value",
                "amount.currency",
            ]
        )
        for n in range(rows):
            name = f"{first[n % 10]} {last[(n // 10) % 10]}-{n}"
            writer.writerow(
                [
                    name,
                    f"{10 + n % 890} {streets[n % 6]}\nCambridge, MA 02{139 + n % 50:03d}",
                    "US",
                    f"member{n}@example.org",
                    f"77-{n:06d}",
                    f"{20 + n % 80}.{n % 100:02d}",
                    "USD",
                ]
            )
    return campaign, members


# ---------------------------------------------------------------------------
# a store for `due`


def due_store(home: Path, cases: int, events_per_case: int, waiting: int = 10) -> None:
    """A data folder with ``cases`` cases: ``waiting`` open ones with a sent letter
    still waiting for its reply (the ones `due` reports), the rest closed (a sent
    letter, then a reply that resolved it) or open with only a draft (as
    `campaign render --track` leaves them). Every case has ``events_per_case``
    events. The waiting cases are made through the services; the rest are
    written straight into SQLite from JSON rows dumped by the same schemas."""
    from paperwork.core.schema import EventSchema, LetterSchema, StoredCaseSchema
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    sent_on = TODAY - timedelta(days=40)
    for n in range(min(waiting, cases)):
        case = load_case()
        case.title = f"Waiting case {n}"
        case_id = new_case(pw, case, sent_on)
        letter = draft_letter(pw, case_id, FIRST_RUNG, sent_on)
        mark_sent(pw, letter.id, sent_on, "certified", tracking=f"7016 0000 {n:04d}")
        for e in range(events_per_case):
            log_event(
                pw,
                case_id,
                "call",
                sent_on + timedelta(days=e % 30),
                {
                    "waited": 20 + e % 40,
                    "duration": 5,
                    "rep": "Dana",
                    "ref": f"R{e}",
                    "promised": "",
                    "notes": "",
                },
            )
    store = pw.store
    conn = store.conn
    case_template = StoredCaseSchema().dump(store.case(1))
    letters = store.letters(1)
    sent_template = LetterSchema().dump(letters[0])
    draft_template = copy.deepcopy(sent_template)
    for key in ("sent_on", "via", "tracking", "pdf_sha256", "delivered_on"):
        if key in draft_template:
            draft_template[key] = None if key in ("sent_on", "delivered_on") else ""
    draft_template["status"] = "draft"
    call_template = EventSchema().dump(store.events(1)[0])
    next_case = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetchone()[0]
    next_letter = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM letters").fetchone()[0]
    next_event = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM events").fetchone()[0]
    case_rows, letter_rows, event_rows = [], [], []
    for n in range(cases - min(waiting, cases)):
        case_id = next_case + n
        closed = n % 2 == 0
        case_data = dict(
            case_template,
            id=case_id,
            title=f"Bulk case {case_id}",
            status="closed" if closed else "open",
        )
        case_rows.append(
            (
                case_id,
                case_data["title"],
                case_data["status"],
                sent_on.isoformat(),
                _dumps(case_data),
            )
        )
        letter_id = next_letter + n
        letter_data = dict(
            sent_template if closed else draft_template, id=letter_id, case_id=case_id
        )
        letter_rows.append(
            (
                letter_id,
                case_id,
                letter_data["kind"],
                letter_data["status"],
                letter_data.get("sent_on"),
                _dumps(letter_data),
            )
        )
        for e in range(events_per_case):
            event_id = next_event + n * events_per_case + e
            on = (sent_on + timedelta(days=e % 30)).isoformat()
            if closed and e == events_per_case - 1:
                event = dict(call_template, id=event_id, case_id=case_id, kind="response", on=on)
                event.update({"summary": "Refund made.", "resolved": True})
                for key in ("waited", "duration", "rep", "ref", "promised", "notes"):
                    event.pop(key, None)
            else:
                event = dict(call_template, id=event_id, case_id=case_id, on=on)
            event_rows.append((event_id, case_id, event["kind"], on, _dumps(event)))
    with store.transaction():
        conn.executemany(
            "INSERT INTO cases(id, title, status, created_on, data) VALUES (?, ?, ?, ?, ?)",
            case_rows,
        )
        conn.executemany(
            "INSERT INTO letters(id, case_id, kind, status, sent_on, data) VALUES (?, ?, ?, ?, ?, ?)",
            letter_rows,
        )
        conn.executemany(
            "INSERT INTO events(id, case_id, kind, on_date, data) VALUES (?, ?, ?, ?, ?)",
            event_rows,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pw.close()


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------------------
# bundle inputs


def photos(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    """``count`` distinct JPEG photos of ``size`` pixels, about as large on disk as a
    phone's (smooth gradients with grain, a different mark on each)."""
    from PIL import Image, ImageDraw, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    width, height = size
    paths = [folder / f"photo-{n:02d}-{width}x{height}.jpg" for n in range(count)]
    if all(p.is_file() for p in paths):
        return paths
    grain = Image.effect_noise((max(1, width // 3), max(1, height // 3)), 48).resize(
        size, Image.Resampling.BILINEAR
    )
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            grain,
            Image.linear_gradient("L").rotate(90).resize(size),
        ),
    ).filter(ImageFilter.SMOOTH)
    for n, path in enumerate(paths):
        if path.is_file():
            continue
        image = base.copy()
        draw = ImageDraw.Draw(image)
        box = (
            n * width // (count + 1),
            height // 4,
            n * width // (count + 1) + width // 6,
            height // 2,
        )
        draw.rectangle(
            box, fill=(255 - n * 4, 40 + n * 3, 90), outline=(0, 0, 0), width=max(1, width // 400)
        )
        draw.text((width // 20, height - height // 10), f"Receipt photo {n + 1}", fill=(0, 0, 0))
        image.save(path, "JPEG", quality=88)
    return paths


def long_pdf(path: Path, pages: int) -> Path:
    """A text PDF of ``pages`` pages (a statement history, say)."""
    if path.is_file():
        return path
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen.canvas import Canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), pagesize=LETTER, invariant=1)
    for page in range(pages):
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(72, 720, f"Account statement, page {page + 1} of {pages}")
        canvas.setFont("Helvetica", 9)
        for line in range(50):
            canvas.drawString(
                72,
                690 - line * 12,
                f"2026-{1 + page % 12:02d}-{1 + line % 28:02d}  Charge {page * 50 + line:06d}   $ {(page * 7 + line * 3) % 500}.{line % 100:02d}",
            )
        canvas.showPage()
    canvas.save()
    return path


def bundle_home(home: Path, photo_paths: list[Path], pdf: Path) -> int:
    """A case with one sent letter and the photos and PDF as evidence; returns the case id."""
    from paperwork.services.record import add_evidence
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    case_id = new_case(pw, load_case(), TODAY - timedelta(days=30))
    letter = draft_letter(pw, case_id, KIND, TODAY - timedelta(days=30))
    mark_sent(pw, letter.id, TODAY - timedelta(days=29), "certified", tracking="7016 0000 0000")
    add_evidence(pw, case_id, pdf, TODAY - timedelta(days=20), title="Statement history")
    for n, photo in enumerate(photo_paths):
        add_evidence(pw, case_id, photo, TODAY - timedelta(days=10), title=f"Receipt photo {n + 1}")
    pw.close()
    return case_id


# ---------------------------------------------------------------------------
# the app opening a case: a small one and a large one in one data folder


def open_case_home(home: Path, events: int, letters: int) -> list[tuple[int, int]]:
    """A data folder with two cases: a small one (5 events, one drafted letter) and a
    large one (``events`` calls and ``letters`` drafted letters). Returns (case id,
    letter id) for each, small first."""
    from paperwork.services.session import Paperwork

    pw = Paperwork(home)
    found = []
    for n_events, n_letters in ((5, 1), (events, letters)):
        case = load_case()
        case.title = f"Case with {n_events} events and {n_letters} letters"
        case_id = new_case(pw, case, TODAY - timedelta(days=60))
        letter_id = 0
        for _ in range(n_letters):
            letter_id = draft_letter(pw, case_id, KIND, TODAY).id
        for e in range(n_events):
            log_event(
                pw,
                case_id,
                "call",
                TODAY - timedelta(days=50 - e % 50),
                {
                    "waited": 20 + e % 40,
                    "duration": 5,
                    "rep": "Dana",
                    "ref": f"R{e}",
                    "promised": "",
                    "notes": "",
                },
            )
        found.append((case_id, letter_id))
    pw.close()
    return found
