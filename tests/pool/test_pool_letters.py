"""Letters carry the pool's count (issue #16 point 4), and the organiser's dossier (point 6)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from poolkit import organiser_pool

from paperwork.letters.pool_sentence import POOL_KINDS, insert_at, pool_sentence

FIGURES = {
    "pool": "slug",
    "title": "Double billing",
    "company": "Northwind",
    "page": "http://127.0.0.1/p/slug",
    "threshold": 10,
    "members": 1243,
    "letters_sent": 3001,
    "by_kind": {"complaint": 1243, "follow_up": None},
    "regulator_referrals": 412,
    "cancellations": None,
    "outcomes": {},
    "since": "2026-03-03",
    "as_of": "2026-12-04",
}

EXPECTED = {
    "en_US": ("1,243", "December 4, 2026", "March 3, 2026", "412"),
    "en_GB": ("1,243", "4 December 2026", "3 March 2026", "412"),
    "de_DE": ("1.243", "4. Dezember 2026", "3. März 2026", "412"),
    "fr_FR": ("1\u00a0243", "4 décembre 2026", "3 mars 2026", "412"),
    "es_ES": ("1.243", "4 de diciembre de 2026", "3 de marzo de 2026", "412"),
}


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_the_sentence_states_members_the_telling_figure_and_the_date(locale):
    text = pool_sentence(FIGURES, locale, regulator="Test Ombudsman")
    for part in EXPECTED[locale]:
        assert part in text, (locale, part, text)
    assert "Northwind" in text and "Test Ombudsman" in text
    assert text.endswith(".") and not re.search(r"[a-z]\. [A-Z]", text)  # one sentence
    assert "{" not in text


def test_under_the_threshold_or_without_figures_nothing_is_said():
    assert pool_sentence({**FIGURES, "members": None}, "en_GB") == ""
    assert pool_sentence(None, "en_GB") == ""
    assert pool_sentence({}, "de_DE") == ""


def test_the_most_telling_figure_falls_back_to_cancellations_then_letters():
    no_referrals = {**FIGURES, "regulator_referrals": None, "cancellations": 57}
    assert "57 of us have already cancelled" in pool_sentence(no_referrals, "en_US")
    letters_only = {**FIGURES, "regulator_referrals": None}
    assert "3,001 letters" in pool_sentence(letters_only, "en_US")
    to_them = pool_sentence(FIGURES, "en_GB", to_regulator=True)
    assert "412 of us have already brought it to you" in to_them


def test_the_sentence_goes_before_the_request():
    paragraphs = ["Intro.", "- fact", "To put this right: refund.", "Reply by 4 May."]
    assert insert_at(paragraphs, ["refund", "4 May"]) == 2
    assert insert_at(paragraphs, ["", "nowhere"]) == 3
    assert insert_at(["Reply by 4 May."], ["4 May"]) == 1


def _compose(pw, kind_id: str, pool):
    """The sample case's letter of ``kind_id``, after a first complaint was sent in writing
    (a regulator_complaint states when the company was first told)."""
    from paperwork.core.model import Letter
    from paperwork.core.schema import load_case_file
    from paperwork.letters.compose import History, compose
    from paperwork.services.cases import sender_for
    from paperwork.services.demo import sample_case_path

    case = load_case_file(sample_case_path())
    kind = pw.catalog.get(kind_id)
    first = _compose_plain(pw, case, "complaint", date(2026, 11, 2))
    sent = Letter(
        1,
        "complaint",
        case.locale,
        date(2026, 11, 2),
        "",
        first,
        "sent",
        date(2026, 11, 2),
        "post",
        id=1,
    )
    return compose(
        case,
        kind,
        catalog=pw.catalog,
        sender=sender_for(pw, case),
        locale=case.locale,
        today=date(2026, 12, 4),
        reply_by=date(2026, 12, 28),
        history=History(letters=[sent]),
        pool=pool,
    )


def _compose_plain(pw, case, kind_id: str, today: date):
    from paperwork.letters.compose import compose
    from paperwork.services.cases import sender_for

    return compose(
        case,
        pw.catalog.get(kind_id),
        catalog=pw.catalog,
        sender=sender_for(pw, case),
        locale=case.locale,
        today=today,
        reply_by=today + timedelta(days=14),
    )


@pytest.mark.parametrize("kind_id", sorted(POOL_KINDS))
def test_every_pressing_kind_carries_the_count_once(pw, kind_id):
    doc = _compose(pw, kind_id, FIGURES)  # every pressing kind, the regulator's included
    lines = [p for p in doc.paragraphs if "1,243 Northwind customers" in p]
    assert len(lines) == 1
    assert doc.paragraphs.index(lines[0]) >= 1
    below = _compose(pw, kind_id, {**FIGURES, "members": None})
    assert not any("Northwind customers" in p for p in below.paragraphs)


def test_other_kinds_say_nothing(pw):
    doc = _compose(pw, "data_access_request", FIGURES)
    assert not any("Northwind customers" in p for p in doc.paragraphs)


def test_the_organisers_dossier(server, tmp_path, run_cli):
    """Two collective letters (chief executive, regulator), each PDF with the chart annexed, and DOCX."""
    from pypdf import PdfReader

    from paperwork.aggregate import pool_client

    link = organiser_pool(run_cli, server.url)
    # one member is under the pool's threshold of two: no collective letter yet
    code, out, err = run_cli("pool", "dossier", "1", "--out", str(tmp_path / "d"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "fewer than its threshold of 2 members" in err
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())
    pool_client.join(link)
    code, out, err = run_cli("pool", "dossier", "1", "--out", str(tmp_path / "d"))
    assert code == 0, err
    paths = sorted(out.split())
    assert [p.rsplit("/", 1)[1] for p in paths] == [
        "pool-executive-acme-broadband.docx",
        "pool-executive-acme-broadband.pdf",
        "pool-regulator-acme-broadband.docx",
        "pool-regulator-acme-broadband.pdf",
    ]
    for path in paths:
        if path.endswith(".pdf"):
            reader = PdfReader(path)
            text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
            assert len(reader.pages) >= 2  # the letter, then the chart
            assert "How these figures were counted" in text
            assert "Jordan Rivera" in text  # signed by the organiser


def test_pool_commands_refuse_a_case_in_no_pool(run_cli):
    from paperwork.services.demo import sample_case_path

    assert run_cli("case", "new", "--from", str(sample_case_path()))[0] == 0
    for args in (("share", "1"), ("stats", "1"), ("leave", "1"), ("dossier", "1", "--out", "x")):
        code, _out, err = run_cli("pool", *args)
        assert code == 2, (args, err)
        assert len(err.strip().splitlines()) == 1 and "no pool" in err
    code, _out, err = run_cli("pool", "join", "not-a-link", "--case", "1")
    assert code == 2 and "not a pool invite link" in err


def test_social_drafts_link_the_pools_page():
    from paperwork.aggregate.social import count, social_drafts
    from paperwork.core.schema import load_case_file
    from paperwork.services.demo import sample_case_path

    case = load_case_file(sample_case_path())
    page = "https://pool.example.org/p/northwind-overbilling"
    drafts = social_drafts(case, "mastodon", None, page)
    thread = next(d for d in drafts.drafts if d.name == "thread")
    assert f"Others affected: {page}" in thread.posts[-1]
    assert all(count(p, "mastodon") <= drafts.limit for d in drafts.drafts for p in d.posts)
    assert not any(page in p for d in social_drafts(case, "x").drafts for p in d.posts)


@pytest.mark.parametrize("locale", sorted(EXPECTED))
def test_the_dossier_letters_read_in_every_locale(locale):
    from paperwork.core.model import Party
    from paperwork.letters.pool_dossier import dossier_letter

    for to, regulator in (("executive", "Test Ombudsman"), ("executive", ""), ("regulator", "")):
        doc = dossier_letter(
            to,
            {**FIGURES, "cancellations": None},
            locale=locale,
            sender=Party(name="Org Aniser", address=["1 Road", "Town"]),
            recipient=["Northwind", "1 Way"],
            regulator=regulator,
            today=date(2026, 12, 4),
            reply_by=date(2027, 1, 1),
        )
        text = " ".join([doc.subject, *doc.paragraphs])
        assert "{" not in text and EXPECTED[locale][0] in text and "10" in text
        assert "http://127.0.0.1/p/slug" in text and doc.signature == "Org Aniser"
        assert ("Test Ombudsman" in text) == bool(regulator)  # named to the company only
        assert not re.search(r"\(\)|\s[,.;]|\s\s", text.replace(" ;", ";").replace(" :", ":"))
        if locale.startswith("en"):  # American spelling in American letters
            assert ("canceled" in text) == (locale == "en_US"), text
