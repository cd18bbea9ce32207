"""Finding 8: text is checked where it enters (case file, case edit, campaign row,
profile), naming the person's own field; composed to NFC; invisible characters removed."""

from __future__ import annotations

import json

import pytest
from hostile_helpers import (
    assert_clean_refusal,
    base_case,
    campaign_args,
    campaign_files,
    write_case,
)

SCRIPTS = {"emoji": "Refund \U0001f600 now", "cjk": "退款 please", "arabic": "استرداد المبلغ"}
FIELDS = {
    "title": lambda d, t: d.update(title=t),
    "summary": lambda d, t: d.update(summary=t),
    "remedy": lambda d, t: d.update(remedy=t),
    "sender.name": lambda d, t: d["sender"].update(name=t),
    "company.name": lambda d, t: d["company"].update(name=t),
    "facts.1.text": lambda d, t: d["facts"][1].update(text=t),
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_unprintable_text_is_refused_at_case_new_naming_the_field(run_cli, tmp_path, field, script):
    data = base_case()
    FIELDS[field](data, SCRIPTS[script])
    path = write_case(tmp_path, data)
    code, out, err = run_cli("case", "new", "--from", str(path))
    assert_clean_refusal(code, out, err)
    assert f"{path}: {field}: contains characters the letter font cannot print" in err
    for wrong in ("subject:", "text:", "recipient:"):
        assert not err.split(f"{field}:")[0].endswith(wrong)


def test_case_edit_is_checked_the_same_way(run_cli, tmp_path):
    code, _o, err = run_cli("case", "new", "--from", str(write_case(tmp_path, base_case())))
    assert code == 0, err
    edit = tmp_path / "edit.json"
    edit.write_text(json.dumps({"remedy": "Refund \U0001f4a9"}), encoding="utf-8")
    code, out, err = run_cli("case", "edit", "1", "--from", str(edit))
    assert_clean_refusal(code, out, err)
    assert f"{edit}: remedy: contains characters" in err


def test_profile_is_checked_the_same_way(run_cli, tmp_path):
    profile = tmp_path / "me.json"
    profile.write_text(
        json.dumps({"name": "李 Wu", "address": ["1 Main St"], "country": "US"}), encoding="utf-8"
    )
    code, out, err = run_cli("profile", "set", "--from", str(profile))
    assert_clean_refusal(code, out, err)
    assert f"{profile}: name: contains characters" in err


def test_campaign_row_names_the_member_field(run_cli, tmp_path):
    rows = [
        {"sender.name": "Good Member", "sender.address": "1 A St\nB, IL 1", "sender.country": "US"},
        {
            "sender.name": "Emoji \U0001f600 Member",
            "sender.address": "2 A St\nB, IL 1",
            "sender.country": "US",
        },
    ]
    campaign, members = campaign_files(tmp_path, rows)
    code, _o, err = run_cli(*campaign_args(campaign, members, tmp_path / "o"))
    assert code == 2
    assert f"{members}: row 3: sender.name: contains characters the letter font cannot print" in err


def test_decomposed_accents_and_zero_width_characters_are_cleaned_on_entry(run_cli, tmp_path):
    data = base_case()
    data["sender"]["name"] = "Zoe\u0308 Mu\u0308ller\u200d"
    data["title"] = "Charged\u200b twice\u00ad for October\ufeff"
    code, _o, err = run_cli("case", "new", "--from", str(write_case(tmp_path, data)))
    assert code == 0, err
    code, out, err = run_cli("case", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["title"] == "Charged twice for October"
    code, _o, err = run_cli("letter", "draft", "1", "--kind", "complaint", "--on", "2026-11-20")
    assert code == 0, err
    code, out, err = run_cli("letter", "show", "1")
    assert "Zo\u00eb M\u00fcller" in out and "\u0308" not in out and "\u200d" not in out
