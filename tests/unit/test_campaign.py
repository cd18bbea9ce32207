"""Campaigns: members CSV checked row by row, every good row rendered, wording varied."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from paperwork.aggregate import campaign as cp
from paperwork.core.errors import UserError
from paperwork.core.schema import CaseFileSchema
from paperwork.services.demo import sample_case_path

TODAY = date(2026, 11, 26)
PERSONAL = ("sender", "account_number", "references", "amount")


def campaign_file(folder: Path) -> Path:
    data = json.loads(sample_case_path().read_text(encoding="utf-8"))
    for key in PERSONAL:
        data.pop(key)
    path = folder / "campaign.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def member(name: str, **cells: str) -> dict[str, str]:
    row = {
        "sender.name": name,
        "sender.address": f"{len(name)} Elm Street\nSpringfield, IL 62704",
        "sender.country": "US",
        "sender.email": "member@example.org",
        "sender.phone": "",
        "account_number": f"AC-{len(name)}",
        "references": "Ticket 1; Ticket 2",
        "amount.value": "89.99",
        "amount.currency": "USD",
    }
    row.update(cells)
    return row


def members_file(folder: Path, rows: list[dict[str, str]], name: str = "members.csv") -> Path:
    path = folder / name
    columns = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


# -- the members file ------------------------------------------------------------


def test_template_has_every_member_column_and_valid_rows(tmp_path: Path) -> None:
    text = cp.template_csv().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == cp.MEMBER_COLUMNS
    assert set(cp.MEMBER_COLUMNS) <= set(cp.allowed_columns())
    campaign = cp.load_campaign(campaign_file(tmp_path))
    for row in rows:
        case, problems = cp.check_member(cp.merge_member(campaign, cp._cells_to_data(row)))
        assert problems == []
        assert case.sender.address == [line for line in row["sender.address"].splitlines()]
    assert "\n" in rows[0]["sender.address"]
    assert len(case.references) <= 2


def test_cells_become_case_data() -> None:
    data = cp._cells_to_data(
        {
            "sender.name": " Ana ",
            "sender.address": "1 Rue\r\nParis\n",
            "references": "A; B;;",
            "sender.email": "",
            "summary": "Mine",
        }
    )
    assert data == {
        "sender": {"name": " Ana ", "address": ["1 Rue", "Paris"]},
        "references": ["A", "B"],
        "summary": "Mine",
    }


def test_member_problems_name_the_field() -> None:
    campaign = json.loads(sample_case_path().read_text(encoding="utf-8"))
    campaign.pop("sender")
    bad = cp._cells_to_data(member("Ann", **{"sender.email": "x", "amount.value": "1.234"}))
    case, problems = cp.check_member(cp.merge_member(campaign, bad))
    assert case is None
    assert ("sender.email", "'x' is not a valid e-mail address.") in problems
    assert ("amount.value", "has more than two decimal places.") in problems
    _, problems = cp.check_member(cp.merge_member(campaign, cp._cells_to_data(member(""))))
    assert ("sender.name", "Missing data for required field.") in problems
    assert (
        cp.problem_line("members.csv", 3, "sender.email", "bad.")
        == "members.csv: row 3: sender.email: bad."
    )


@pytest.mark.parametrize(
    "cells",
    [
        {},
        {"sender.email": "x", "amount.value": "1.234"},
        {"sender.name": ""},
        {"sender.name": "Zoë\u202eevil", "amount.currency": "usd"},
        {"sender.name": "\u4e2d\u6587", "references": "A;\u0007B"},
        {"locale": "xx_XX", "jurisdiction": "ZZ", "company.name": ""},
        {"company.address": "", "company.email": "a@b", "title": "Another title"},
        {"summary": "Mine", "ladder": "Not A Ladder", "promo_ends": "2026-13-01"},
        {"details.card_last4": "12", "details.cancel_on": "2026-02-01"},
    ],
)
def test_member_checker_reads_as_check_member(cells: dict[str, str]) -> None:
    """The worker checks only the keys a row sets: same case, same problems."""
    campaign = json.loads(sample_case_path().read_text(encoding="utf-8"))
    campaign.pop("sender")
    checker = cp.MemberChecker(campaign)
    data = cp._cells_to_data(member("Ann O'Brien", **cells))
    assert checker.check(data) == cp.check_member(cp.merge_member(campaign, data))
    without_sender = {k: v for k, v in data.items() if k != "sender"}
    assert checker.check(without_sender) == cp.check_member(
        cp.merge_member(campaign, without_sender)
    )


def test_header_problems_refuse_the_whole_file(tmp_path: Path) -> None:
    path = members_file(tmp_path, [{"sender.name": "A", "sender.nickname": "a", "facts": "x"}])
    with pytest.raises(UserError) as caught:
        cp.MembersFile(path)
    lines = caught.value.problems
    assert any("row 1: column 'sender.nickname' is not a case-file key" in line for line in lines)
    assert any("column 'facts'" in line for line in lines)
    assert all(line.startswith(str(path)) for line in lines)


def test_rows_are_numbered_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        'sender.name,sender.address\nA,"1 St\nTown"\n\nB,"2 St\nTown",extra\n', encoding="utf-8"
    )
    rows = list(cp.MembersFile(path))
    assert [r.number for r in rows] == [2, 4]  # row 3 is blank, not a member
    assert rows[1].problems and "3 cells" in rows[1].problems[0][1]


# -- wording -------------------------------------------------------------------


def test_variants_are_deterministic_and_differ_between_members(pw) -> None:
    from paperwork.letters.compose import compose

    case = CaseFileSchema().load(json.loads(sample_case_path().read_text(encoding="utf-8")))
    doc = compose(
        case,
        pw.catalog.get("complaint"),
        catalog=pw.catalog,
        sender=case.sender,
        locale="en_US",
        today=TODAY,
        reply_by=date(2026, 12, 17),
    )
    letters = {}
    for i in range(30):
        varied = cp.vary(doc, f"Member {i}\n{i} Elm Street")
        assert varied == cp.vary(doc, f"Member {i}\n{i} Elm Street")
        assert varied.closing in cp.CLOSINGS["en_US"]
        assert len(varied.paragraphs) == len(doc.paragraphs)
        letters["\n".join([*varied.paragraphs, varied.closing])] = i
    assert len(letters) >= 20  # many letters, not one letter many times


# -- the whole run ---------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_rows_are_named_and_good_rows_rendered(
    pw, tmp_path: Path, jobs: int, monkeypatch
) -> None:
    monkeypatch.setattr(cp, "ROWS_PER_POOL", 2)  # workers are replaced mid-run; nothing is lost
    rows = [
        member("Ana Lima"),
        member("Ben Okafor", **{"sender.email": "x"}),  # row 3
        member("Chloé Martin"),
        member("", **{"sender.phone": "+1 217 555 0100"}),  # row 5: no name
        member("Dan Weiss", **{"amount.value": "12.345", "sender.country": ""}),  # row 6
        member("Eva Novak", **{"references": "Ref 9"}),
    ]
    path = members_file(tmp_path, rows)
    out = tmp_path / "out"
    refused_lines: list[str] = []
    progress: list[int] = []
    result = cp.run_campaign(
        pw,
        campaign_file(tmp_path),
        path,
        "complaint",
        out,
        TODAY,
        jobs=jobs,
        on_progress=progress.append,
        on_refused=refused_lines.append,
    )
    assert (result.rendered, result.refused) == (3, 3)
    assert sum(progress) == 6
    source = str(path)
    assert f"{source}: row 3: sender.email: 'x' is not a valid e-mail address." in refused_lines
    assert f"{source}: row 5: sender.name: Missing data for required field." in refused_lines
    assert f"{source}: row 6: amount.value: has more than two decimal places." in refused_lines
    with open(result.report, encoding="utf-8", newline="") as handle:
        report = list(csv.DictReader(handle))
    assert sorted({int(r["row"]) for r in report}) == [3, 5, 6]
    with open(result.index, encoding="utf-8", newline="") as handle:
        index = list(csv.DictReader(handle))
    assert [int(r["row"]) for r in index] == [2, 4, 7]
    for entry, name in zip(index, ["Ana Lima", "Chloé Martin", "Eva Novak"], strict=True):
        pdf = out / entry["pdf"]
        assert (out / entry["docx"]).stat().st_size > 0
        text = pdf_text(pdf)
        assert name in text
        assert "Acme Broadband" in text
    assert "Ref 9" in pdf_text(out / index[2]["pdf"])
    assert not list(out.glob("*-ben-okafor.*"))
    assert pw.store.cases() == []  # not tracked


def test_a_long_recipient_line_is_wrapped_inside_the_envelope_window(pw, tmp_path: Path) -> None:
    """As in a case letter (test_letter_pdf), a company line wider than the window is
    broken into lines that each print inside it; read back from the campaign's PDF."""
    import pdfplumber

    from paperwork.core.layouts import MM_PER_INCH
    from paperwork.render.pdf import address_width
    from paperwork.services.letters import layout_for

    data = json.loads(campaign_file(tmp_path).read_text(encoding="utf-8"))
    data["company"]["department"] = (
        "Office of Customer Relations – Billing Disputes, Escalations and Regulatory Affairs"
    )
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    members = members_file(tmp_path, [member("Ana Lima")])
    result = cp.run_campaign(pw, path, members, "complaint", out, TODAY, track=True, jobs=1)
    assert result.rendered == 1
    pdf = next(out.glob("*.pdf"))
    layout = layout_for(pw, pw.store.letters()[0])
    pt = 72 / MM_PER_INCH
    left, width = layout.recipient_left * pt, layout.recipient_width * pt
    top = layout.recipient_top * pt
    assert address_width(data["company"]["department"]) > width
    with pdfplumber.open(str(pdf)) as doc:
        words = doc.pages[0].extract_words()
    block = [w for w in words if top - 1 <= w["top"] <= top + 80 and abs(w["x0"] - left) < width]
    lines: dict[int, list[str]] = {}
    for w in block:
        lines.setdefault(round(w["top"]), []).append(w["text"])
    printed = [" ".join(v) for _, v in sorted(lines.items())]
    assert printed[0] == "Acme Broadband, Inc."
    assert printed[1:3] == [
        "Office of Customer Relations – Billing Disputes",
        "Escalations and Regulatory Affairs",
    ]
    assert block and all(w["x1"] <= left + width + 1 for w in block)


def test_track_creates_a_case_and_draft_per_member(pw, tmp_path: Path) -> None:
    path = members_file(tmp_path, [member("Ana Lima"), member("Ben Okafor")])
    result = cp.run_campaign(
        pw, campaign_file(tmp_path), path, "complaint", tmp_path / "out", TODAY, track=True, jobs=1
    )
    assert result.cases == 2
    cases = pw.store.cases()
    assert [c.sender.name for c in cases] == ["Ana Lima", "Ben Okafor"]
    letters = pw.store.letters()
    assert [(lt.case_id, lt.kind, lt.status) for lt in letters] == [
        (cases[0].id, "complaint", "draft"),
        (cases[1].id, "complaint", "draft"),
    ]
    assert letters[0].document.signature == "Ana Lima"


def test_a_bad_campaign_or_kind_is_refused_before_any_work(pw, tmp_path: Path) -> None:
    path = members_file(tmp_path, [member("Ana Lima")])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x"}), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        cp.run_campaign(pw, bad, path, "complaint", tmp_path / "out", TODAY, jobs=1)
    assert any("company: Missing data for required field." in p for p in caught.value.problems)
    with pytest.raises(UserError):
        cp.run_campaign(
            pw, campaign_file(tmp_path), path, "no_such_kind", tmp_path / "out", TODAY, jobs=1
        )
    assert not (tmp_path / "out" / cp.INDEX_NAME).exists()


def test_semicolon_separated_members_file(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        '\ufeffsender.name;sender.address;references\nAna;"1 St\nTown";"A;B"\n', encoding="utf-8"
    )
    (row,) = list(cp.MembersFile(path))
    assert cp._cells_to_data(row.cells) == {
        "sender": {"name": "Ana", "address": ["1 St", "Town"]},
        "references": ["A", "B"],
    }
