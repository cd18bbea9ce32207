"""Escalation ladders: the built-in set, user ladders, and scheduling the next rung."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paperwork.core.deadlines import gate_date, response_deadline
from paperwork.core.ladder import (
    REGULATOR_RUNGS,
    Ladder,
    LadderError,
    load_ladders,
    next_rung,
    schedule_next,
)

BUILT_IN = {
    "standard": (
        "complaint",
        "follow_up",
        "escalation_supervisor",
        "escalation_executive",
        "final_demand",
        "regulator_complaint",
        "small_claims_notice",
    ),
    "regulated_uk": ("complaint", "follow_up", "regulator_complaint"),
    "us_credit": ("billing_dispute", "follow_up", "regulator_complaint"),
    "gdpr": ("data_access_request", "follow_up", "regulator_complaint"),
    "retention": ("retention_request", "intent_to_cancel", "cancellation_notice"),
}


def test_built_in_ladders() -> None:
    ladders = load_ladders()
    assert {ladder_id: ladder.rungs for ladder_id, ladder in ladders.items()} == BUILT_IN
    for ladder_id, ladder in ladders.items():
        assert ladder.id == ladder_id
        assert ladder.title
        assert ladder.source
    assert "DISP 1.6.2R" in ladders["regulated_uk"].source


def test_missing_user_folder_gives_built_ins(tmp_path: Path) -> None:
    assert load_ladders(tmp_path / "ladders") == load_ladders()
    assert load_ladders(None) == load_ladders()


# ---- next_rung -----------------------------------------------------------------

STANDARD = Ladder("standard", "Standard", BUILT_IN["standard"], "test")


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ([], "complaint"),
        (["complaint"], "follow_up"),
        (["complaint", "follow_up", "complaint"], "escalation_supervisor"),
        # The highest rung sent counts, even if earlier rungs were skipped.
        (["final_demand"], "regulator_complaint"),
        (["final_demand", "follow_up"], "regulator_complaint"),
        # Kinds that are not on the ladder are ignored.
        (["retention_request", "social_post"], "complaint"),
        (["complaint", "retention_request"], "follow_up"),
        # The top has been reached.
        (["small_claims_notice"], None),
        (list(BUILT_IN["standard"]), None),
    ],
)
def test_next_rung(sent: list[str], expected: str | None) -> None:
    assert next_rung(STANDARD, sent) == expected


def test_next_rung_accepts_any_iterable() -> None:
    assert next_rung(STANDARD, ("complaint",)) == "follow_up"
    assert next_rung(STANDARD, iter(["complaint"])) == "follow_up"


# ---- user ladders ----------------------------------------------------------------


def test_user_ladders_add_and_override(tmp_path: Path) -> None:
    folder = tmp_path / "ladders"
    folder.mkdir()
    (folder / "a_telecoms.toml").write_text(
        "[ladders.telecoms_uk]\n"
        'title = "UK telecoms"\n'
        'rungs = ["complaint", "follow_up", "regulator_complaint"]\n'
        'source = "Ofcom: ADR after 8 weeks"\n',
        encoding="utf-8",
    )
    (folder / "b_standard.toml").write_text(
        "[ladders.standard]\n"
        'title = "Short standard"\n'
        'rungs = ["complaint", "final_demand", "small_claims_notice"]\n',
        encoding="utf-8",
    )
    (folder / "notes.txt").write_text("not a ladder", encoding="utf-8")

    ladders = load_ladders(folder)
    assert ladders["telecoms_uk"] == Ladder(
        "telecoms_uk",
        "UK telecoms",
        ("complaint", "follow_up", "regulator_complaint"),
        "Ofcom: ADR after 8 weeks",
    )
    assert ladders["standard"].rungs == ("complaint", "final_demand", "small_claims_notice")
    assert ladders["standard"].title == "Short standard"
    assert ladders["gdpr"].rungs == BUILT_IN["gdpr"]
    # The override does not leak into later loads.
    assert load_ladders()["standard"].rungs == BUILT_IN["standard"]


def test_later_user_file_wins(tmp_path: Path) -> None:
    (tmp_path / "1.toml").write_text('[ladders.mine]\nrungs = ["complaint"]\n', encoding="utf-8")
    (tmp_path / "2.toml").write_text('[ladders.mine]\nrungs = ["follow_up"]\n', encoding="utf-8")
    mine = load_ladders(tmp_path)["mine"]
    assert mine.rungs == ("follow_up",)
    assert mine.title == "mine"  # title defaults to the id


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[ladders.x]\nrungs = "complaint"\n', "ladder 'x': rungs: must be a list of letter kinds"),
        ("[ladders.x]\nrungs = []\n", "ladder 'x': rungs: must be a list of letter kinds"),
        ("[ladders.x]\nrungs = [1, 2]\n", "ladder 'x': rungs: must be a list of letter kinds"),
        ("[ladders.x]\ntitle = 'X'\n", "ladder 'x': rungs: must be a list of letter kinds"),
        (
            '[ladders.x]\nrungs = ["Complaint Letter"]\n',
            "ladder 'x': rungs: must be a list of letter kinds",
        ),
        (
            '[ladders.x]\nrungs = ["complaint", "complaint"]\n',
            "ladder 'x': rungs: 'complaint' appears more than once",
        ),
        ('[ladders.Bad-Id]\nrungs = ["complaint"]\n', "ladder 'Bad-Id': the id must be"),
        (
            '[ladders.x]\nrungs = ["complaint"]\ncolour = "red"\n',
            "ladder 'x': unknown key 'colour'",
        ),
        ('[ladders.x]\nrungs = ["complaint"]\ntitle = 3\n', "ladder 'x': title:"),
        ('[standard]\nrungs = ["complaint"]\n', "unknown key 'standard'"),
        ("ladders = 3\n", "ladders: must be tables"),
        ("[ladders.x\nrungs = [", "not valid TOML"),
    ],
)
def test_broken_user_toml(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LadderError) as info:
        load_ladders(tmp_path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


def test_broken_user_toml_exact_message(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[ladders.x]\nrungs = "complaint"\n', encoding="utf-8")
    with pytest.raises(LadderError) as info:
        load_ladders(tmp_path)
    assert str(info.value) == f"{path}: ladder 'x': rungs: must be a list of letter kinds"


def test_user_dir_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ladders"
    path.write_text("", encoding="utf-8")
    with pytest.raises(LadderError, match="not a folder"):
        load_ladders(path)


# ---- schedule_next ---------------------------------------------------------------

# Follow-up posted first class Thu 22 Jan 2026 to a firm in England: deemed
# received Mon 26 Jan (Fri 23 = 1st, Mon 26 = 2nd business day); + 14d = Mon 9 Feb;
# the next letter is due Tue 10 Feb.
FOLLOW_UP = response_deadline(date(2026, 1, 22), "first_class", "GB-ENG", "14d")
REGULATED_UK = Ladder("regulated_uk", "UK regulated", BUILT_IN["regulated_uk"], "test")


def test_follow_up_deadline_fixture() -> None:
    assert (FOLLOW_UP.deadline, FOLLOW_UP.next_due) == (date(2026, 2, 9), date(2026, 2, 10))


def test_regulator_rung_waits_for_a_later_gate() -> None:
    # Complaint received Wed 7 Jan 2026; the FOS gate is 8 weeks later, Wed 4 Mar.
    gate = gate_date(date(2026, 1, 7), "8w", "GB-ENG")
    assert gate == date(2026, 3, 4)
    assert schedule_next(REGULATED_UK, ["complaint", "follow_up"], FOLLOW_UP, gate) == (
        "regulator_complaint",
        gate,
    )


def test_gate_on_a_weekend_is_rolled_forward() -> None:
    # Sat 7 Mar 2026 -> Mon 9 Mar.
    assert schedule_next(REGULATED_UK, ["complaint", "follow_up"], FOLLOW_UP, date(2026, 3, 7)) == (
        "regulator_complaint",
        date(2026, 3, 9),
    )


def test_earlier_gate_does_not_bring_the_letter_forward() -> None:
    assert schedule_next(REGULATED_UK, ["complaint", "follow_up"], FOLLOW_UP, date(2026, 2, 2)) == (
        "regulator_complaint",
        date(2026, 2, 10),
    )


def test_no_gate_means_next_due() -> None:
    assert schedule_next(REGULATED_UK, ["complaint", "follow_up"], FOLLOW_UP, None) == (
        "regulator_complaint",
        date(2026, 2, 10),
    )


def test_gate_applies_only_to_regulator_rungs() -> None:
    assert "follow_up" not in REGULATOR_RUNGS
    assert schedule_next(REGULATED_UK, ["complaint"], FOLLOW_UP, date(2026, 3, 4)) == (
        "follow_up",
        date(2026, 2, 10),
    )


def test_schedule_next_at_the_top() -> None:
    sent = list(BUILT_IN["regulated_uk"])
    assert schedule_next(REGULATED_UK, sent, FOLLOW_UP, date(2026, 3, 4)) is None
