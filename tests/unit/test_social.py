"""Social drafts: counted as each platform counts, no private data, a tone check."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from paperwork.aggregate import social
from paperwork.aggregate.social import (
    PLATFORMS,
    check_post,
    count,
    count_bluesky,
    count_mastodon,
    count_x,
    find_private,
    graphemes,
    graphemes_fallback,
    social_drafts,
    tone_check,
)
from paperwork.core.schema import CaseFileSchema
from paperwork.core.tally import Tally
from paperwork.services.demo import sample_case_path

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # man, woman, girl, boy (ZWJ)
E_ACUTE = "e\u0301"  # e + combining acute accent
FLAG_FR = "\U0001f1eb\U0001f1f7"
THUMB_TONE = "\U0001f44d\U0001f3fd"
KEYCAP_1 = "1\ufe0f\u20e3"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
LONG_URL = "https://example.com/" + "a" * 80
TALLY = Tally(
    calls=6,
    hold_minutes=250,
    talk_minutes=40,
    letters_sent=3,
    first_contact=date(2026, 10, 3),
    days_since_first_contact=54,
    missed_deadlines=1,
)


def _raw() -> dict:
    return json.loads(sample_case_path().read_text(encoding="utf-8"))


def _case(entry_check: bool = True, **changes):
    data = copy.deepcopy(_raw())
    data.update(changes)
    schema = CaseFileSchema()
    schema.entry_check = entry_check  # False: a case stored before text was checked on entry
    return schema.load(data)


# -- counting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        (LONG_URL, 23),
        ("https://t.co/x", 23),
        ("see " + LONG_URL + " now", 4 + 23 + 4),
        ("see example.com.", 4 + 23 + 1),  # X links bare domains too
        ("日本語", 6),  # CJK weighs 2
        ("\U0001f600", 2),  # one emoji
        (FAMILY, 2),  # a ZWJ family is one emoji
        (FLAG_FR, 2),
        (THUMB_TONE, 2),
        (KEYCAP_1, 2),
        (E_ACUTE, 1),  # NFC makes it one code point
        ("\u2014\u201c\u201d", 3),  # dashes and quotes in the light ranges
    ],
)
def test_count_x(text: str, expected: int) -> None:
    assert count_x(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        (FAMILY, 1),
        (E_ACUTE, 1),
        ("a\u0301\u0302\u0303", 1),  # several combining marks on one letter
        (FLAG_FR + FLAG_FR, 2),
        (THUMB_TONE, 1),
        (KEYCAP_1, 1),
        (ENGLAND, 1),
        ("日本語", 3),
        (LONG_URL, len(LONG_URL)),  # Bluesky counts the text as sent
    ],
)
def test_count_bluesky(text: str, expected: int) -> None:
    assert count_bluesky(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        (LONG_URL, 23),
        ("go " + LONG_URL, 3 + 23),
        ("example.com", 11),  # no scheme: not a link on Mastodon
        ("@acme@mastodon.social hi", len("@acme hi")),  # remote mentions count as @user
        (FAMILY, 1),
        (E_ACUTE, 1),
        (FLAG_FR, 1),
    ],
)
def test_count_mastodon(text: str, expected: int) -> None:
    assert count_mastodon(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        FAMILY,
        E_ACUTE,
        FLAG_FR + FLAG_FR + "\U0001f1e9",
        THUMB_TONE,
        KEYCAP_1,
        ENGLAND,
        "a\r\nb",
        "\u1100\u1161\u11a8x",
        "plain text",
    ],
)
def test_fallback_graphemes_agree_with_uax29(text: str) -> None:
    pytest.importorskip("regex")
    assert graphemes_fallback(text) == graphemes(text)


def test_limits_per_platform() -> None:
    assert {p.id: p.limit for p in PLATFORMS.values()} == {
        "x": 280,
        "bluesky": 300,
        "mastodon": 500,
    }
    # 140 CJK characters fill an X post but not a Bluesky one
    assert count("日" * 140, "x") == 280
    assert count("日" * 140, "bluesky") == 140
    with pytest.raises(ValueError):
        count("x", "myspace")


# -- drafts -------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["x", "bluesky", "mastodon"])
def test_drafts_fit_and_name_the_company(platform: str) -> None:
    case = _case()
    drafts = social_drafts(case, platform, TALLY)
    data = drafts.as_json()
    assert data["platform"] == platform and data["limit"] == PLATFORMS[platform].limit
    by_name = {d["name"]: d["posts"] for d in data["drafts"]}
    assert len(by_name["short"]) == 1
    assert 2 <= len(by_name["thread"]) <= 3
    assert "@AcmeBroadband" in by_name["short"][0]
    assert by_name["thread"][0].startswith("@AcmeBroadband")
    for posts in by_name.values():
        for post in posts:
            assert count(post, platform) <= PLATFORMS[platform].limit
    assert "89.99" in " ".join(by_name["thread"])


@pytest.mark.parametrize("platform", ["x", "bluesky", "mastodon"])
def test_long_case_with_emoji_still_fits(platform: str) -> None:
    long_text = (
        "The router "
        + FAMILY
        + " dropped the line again and support "
        + E_ACUTE
        + " could not help. "
    ) * 12
    facts = [{"on": f"2026-10-{d:02d}", "text": long_text} for d in range(1, 20)]
    case = _case(entry_check=False, summary=long_text, remedy="Refund " + "日本" * 100, facts=facts)
    for draft in social_drafts(case, platform, TALLY).drafts:
        for post in draft.posts:
            assert 0 < count(post, platform) <= PLATFORMS[platform].limit, post


def test_thread_without_facts_has_two_posts() -> None:
    case = _case(facts=[])
    thread = social_drafts(case, "x").drafts[1]
    assert thread.name == "thread" and len(thread.posts) == 2


def test_drafts_never_show_private_data() -> None:
    raw = _raw()
    raw["summary"] = (
        "My account 4471-9920 was charged twice. Call me on +1 217 555 0100 or write to jordan@example.org. "
        "The duplicate charge of $89.99 has not been refunded."
    )
    raw["facts"].append(
        {"on": "2026-11-04", "text": "I wrote from 12 Elm Street, Apt 3 to ask again."}
    )
    raw["facts"].append(
        {"on": "2026-11-05", "text": "They wrote to account 44719920 that nothing was wrong."}
    )
    raw["remedy"] = "Refund $89.99 to account 4471-9920. Confirm the refund in writing."
    case = CaseFileSchema().load(raw)
    secrets = [
        "4471-9920",
        "44719920",
        "217 555 0100",
        "jordan@example.org",
        "12 Elm Street",
        "Springfield, IL 62704",
    ]
    for platform in PLATFORMS:
        drafts = social_drafts(case, platform, TALLY)
        text = "\n".join(p for d in drafts.drafts for p in d.posts)
        for secret in secrets:
            assert secret not in text
        assert not find_private(text, case)
        assert "refunded" in text  # the harmless sentences stay
        assert any("account number" in note for note in drafts.notes)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("account 4471 9920", "the account number"),
        ("mail me: jordan@example.org", "an e-mail address"),
        ("call +44 20 7946 0958", "a phone number"),
        ("call (217) 555-0100", "a phone number"),
        ("I live at 12 Elm Street", "a postal address"),
    ],
)
def test_find_private(text: str, what: str) -> None:
    assert what in find_private(text, _case())


def test_dates_and_money_are_not_private() -> None:
    assert find_private("On Oct 3 2026 you charged $89.99 twice (ticket 88812).", _case()) == []


# -- tone -----------------------------------------------------------------------

GOOD = [
    "@AcmeBroadband charged me twice in October and has not refunded $89.99 after 3 letters.",
    "Day 54 of waiting for @AcmeBroadband to refund a duplicate charge. 6 calls, 4 h 10 min on hold.",
    "I have asked @AcmeBroadband three times to confirm the refund in writing. Still no answer.",
    "My FCA complaint about the USD charge is next.",  # acronyms are not shouting
]
BAD = [
    ("@AcmeBroadband you are idiots", "refuse", "insult"),
    ("@AcmeBroadband is a total scam", "refuse", "scam"),
    ("These thieves kept my money", "refuse", "theft"),
    ("Acme is FRAUDULENT", "refuse", "fraud"),
    ("Criminal behaviour from @AcmeBroadband", "refuse", "crime"),
    ("REFUND MY MONEY NOW ACME, I HAVE WAITED LONG ENOUGH", "refuse", "capitals"),
    ("Still waiting for my REFUND from Acme", "flag", "capitals"),
    ("Acme's service is pathetic", "flag", "scornful"),
]


@pytest.mark.parametrize("text", GOOD)
def test_tone_accepts_calm_posts(text: str) -> None:
    assert tone_check(text, _case()) == []


@pytest.mark.parametrize(("text", "level", "hint"), BAD)
def test_tone_catches_bad_posts(text: str, level: str, hint: str) -> None:
    problems = tone_check(text, _case())
    assert problems, text
    assert any(p.level == level for p in problems)
    assert any(hint in p.message for p in problems), [p.message for p in problems]


def test_accusation_supported_by_the_case_is_allowed() -> None:
    raw = _raw()
    raw["facts"].append(
        {
            "on": "2026-11-10",
            "text": "My bank confirmed the second charge as fraud and opened a claim.",
        }
    )
    case = CaseFileSchema().load(raw)
    assert tone_check("My bank called the second charge fraud.", case) == []
    assert tone_check("A fraudulent charge from @AcmeBroadband.", case) == []
    assert tone_check("They are thieves.", case)  # fraud does not support theft


def test_drafts_leave_out_insults_and_shouting_from_the_facts() -> None:
    raw = _raw()
    raw["facts"].append({"on": "2026-11-10", "text": "The agent was an idiot. He hung up."})
    raw["facts"].append(
        {"on": "2026-11-11", "text": "I AM SICK OF THIS COMPANY AND ITS PHONE MENU."}
    )
    case = CaseFileSchema().load(raw)
    drafts = social_drafts(case, "mastodon", TALLY)
    text = "\n".join(p for d in drafts.drafts for p in d.posts)
    assert "idiot" not in text and "SICK" not in text
    assert "He hung up." in text
    assert len(drafts.notes) == 2
    for draft in drafts.drafts:
        for post in draft.posts:
            assert not [p for p in tone_check(post, case) if p.level == "refuse"]


def test_check_post() -> None:
    case = _case()
    refused, warned = check_post("Still no refund from @AcmeBroadband.", case, "x")
    assert refused == [] and warned == []
    refused, _ = check_post("a" * 281, case, "x")
    assert refused and "281" in refused[0] and "280" in refused[0]
    refused, _ = check_post("Acct 4471-9920, thieves", case, "bluesky")
    assert len(refused) == 2


def test_post_platform() -> None:
    assert social.post_platform("https://x.com/me/status/1") == "x"
    assert social.post_platform("https://bsky.app/profile/me.bsky.social/post/3k") == "bluesky"
    assert social.post_platform("https://mastodon.social/@me/1123") == "mastodon"
    assert social.post_platform("https://example.org/blog") == "other"


def test_drafts_speak_the_case_language() -> None:
    case = _case(
        locale="de_DE",
        jurisdiction="DE-BY",
        summary="Zweimal abgebucht.",
        remedy="Erstatten Sie 89,99 €.",
    )
    drafts = social_drafts(case, "mastodon", TALLY)
    thread = drafts.drafts[1].posts
    assert thread[1].startswith("Was passiert ist:")
    assert "Bisher seit" in thread[2] and "3 Briefe, 6 Anrufe" in thread[2]
    assert "Ich fordere @AcmeBroadband auf: Erstatten Sie 89,99 €." in thread[2]


def test_fediverse_handle_is_not_an_email() -> None:
    raw = _raw()
    raw["company"]["social"] = "@acme@mastodon.social"
    case = CaseFileSchema().load(raw)
    drafts = social_drafts(case, "mastodon", TALLY)
    assert drafts.drafts[0].posts[0].startswith("@acme@mastodon.social ")
    assert find_private("ping @acme@mastodon.social", case) == []
    assert find_private("write to jordan@example.org", case) == ["an e-mail address"]


def test_a_handle_that_leaks_is_refused() -> None:
    from paperwork.core.errors import UserError

    raw = _raw()
    raw["company"]["social"] = "@acme_4471-9920"  # carries the account number
    with pytest.raises(UserError):
        social_drafts(CaseFileSchema().load(raw), "x")
