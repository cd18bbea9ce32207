"""Every recorded thing can be corrected and deleted, with the deadlines worked out
again; undo puts back whatever the last change altered; no record is dated after
today, and no reply before the first letter it could answer."""

from __future__ import annotations

from datetime import date

import pytest

from paperwork.core.errors import UserError
from paperwork.services.cases import new_case, set_case_status
from paperwork.services.events import delete_event, edit_event, log_event
from paperwork.services.history import last_change, undo
from paperwork.services.letters import (
    correct_delivery,
    correct_sending,
    default_channel,
    delete_letter,
    draft_letter,
    get_letter,
    mark_delivered,
    mark_sent,
    unmark_delivered,
    unmark_sent,
)
from paperwork.services.schedule import case_view
from paperwork.services.session import Paperwork

TODAY = date(2026, 11, 26)


@pytest.fixture
def pw(home):
    from paperwork.core.schema import CaseFileSchema, load_with, read_structured_file
    from paperwork.services.demo import sample_case_path

    session = Paperwork(home)
    case = load_with(CaseFileSchema(), read_structured_file(sample_case_path()), "sample")
    new_case(session, case, date(2026, 11, 1))
    yield session
    session.close()


def _sent_letter(pw, on=date(2026, 11, 2)):
    letter = draft_letter(pw, 1, "complaint", date(2026, 11, 1))
    mark_sent(pw, letter.id, on, "certified", today=TODAY)
    return letter.id


def test_undo_reverts_each_kind_of_change_in_turn(pw):
    letter_id = _sent_letter(pw)
    call = log_event(pw, 1, "call", date(2026, 11, 3), {"waited": 5, "duration": 2}, today=TODAY)
    edit_event(pw, call.id, date(2026, 11, 4), {"waited": 9}, today=TODAY)
    assert last_change(pw) == "call corrected on case 1"
    assert undo(pw) == "call corrected on case 1"
    [event] = case_view(pw, 1, TODAY).events
    assert (event.on, event.data["waited"]) == (date(2026, 11, 3), 5)
    assert undo(pw) == "call logged on case 1"
    assert case_view(pw, 1, TODAY).events == []
    assert undo(pw) == f"letter {letter_id} marked sent"
    assert get_letter(pw, letter_id).status == "draft"
    assert undo(pw) == "letter drafted on case 1"
    assert case_view(pw, 1, TODAY).letters == []
    assert undo(pw) == "new case “Charged twice for October service”"
    assert pw.store.cases() == []
    assert undo(pw) is None


def test_a_deleted_record_comes_back_whole_and_the_deadline_follows(pw):
    letter_id = _sent_letter(pw)
    reply = log_event(
        pw, 1, "response", date(2026, 11, 10), {"summary": "No.", "resolved": True}, today=TODAY
    )
    assert pw.store.case(1).status == "closed"
    [clock] = case_view(pw, 1, TODAY).plan.clocks
    assert clock.answered_on == date(2026, 11, 10)
    delete_event(pw, reply.id)
    assert pw.store.case(1).status == "open"  # the reply that settled it is gone
    [clock] = case_view(pw, 1, TODAY).plan.clocks
    assert clock.answered_on is None
    undo(pw)
    assert pw.store.case(1).status == "closed"
    assert [e.data["summary"] for e in case_view(pw, 1, TODAY).events] == ["No."]
    assert get_letter(pw, letter_id).status == "sent"


def test_sending_and_delivery_are_corrected_taken_back_and_undone(pw):
    letter_id = _sent_letter(pw)
    mark_delivered(pw, letter_id, date(2026, 11, 5), today=TODAY)
    correct_sending(pw, letter_id, date(2026, 11, 3), "registered", "RR1", today=TODAY)
    letter = get_letter(pw, letter_id)
    assert (letter.sent_on, letter.via, letter.tracking) == (date(2026, 11, 3), "registered", "RR1")
    correct_delivery(pw, letter_id, date(2026, 11, 6), today=TODAY)
    assert get_letter(pw, letter_id).delivered_on == date(2026, 11, 6)
    unmark_delivered(pw, letter_id)
    assert get_letter(pw, letter_id).delivered_on is None
    unmark_sent(pw, letter_id)
    assert get_letter(pw, letter_id).status == "draft"
    undo(pw)
    undo(pw)
    letter = get_letter(pw, letter_id)
    assert (letter.status, letter.delivered_on) == ("delivered", date(2026, 11, 6))
    with pytest.raises(UserError, match="stays in the record"):
        delete_letter(pw, letter_id)


def test_a_draft_is_deleted_and_undo_brings_it_back(pw):
    letter = draft_letter(pw, 1, "complaint", date(2026, 11, 1))
    delete_letter(pw, letter.id)
    assert case_view(pw, 1, TODAY).letters == []
    undo(pw)
    assert get_letter(pw, letter.id).document.subject == letter.document.subject


def test_archiving_is_undone(pw):
    set_case_status(pw, 1, "archived")
    undo(pw)
    assert pw.store.case(1).status == "open"


@pytest.mark.parametrize("kind", ["call", "response", "outcome", "post"])
def test_nothing_is_recorded_after_today(pw, kind):
    with pytest.raises(UserError) as caught:
        log_event(pw, 1, kind, date(2026, 11, 27), {"summary": "x"}, today=TODAY)
    assert caught.value.problems == [
        "--on: 2026-11-27 is after today (2026-11-26): record it once it has happened."
    ]
    assert case_view(pw, 1, TODAY).events == []


def test_a_letter_is_not_sent_or_delivered_after_today(pw):
    letter = draft_letter(pw, 1, "complaint", date(2026, 11, 1))
    with pytest.raises(UserError, match="--on: 2026-11-27 is after today"):
        mark_sent(pw, letter.id, date(2026, 11, 27), "post", today=TODAY)
    mark_sent(pw, letter.id, date(2026, 11, 2), "post", today=TODAY)
    with pytest.raises(UserError, match="--on: 2026-12-01 is after today"):
        mark_delivered(pw, letter.id, date(2026, 12, 1), today=TODAY)


def test_a_reply_before_the_first_letter_sent_is_refused_naming_the_field(pw):
    letter_id = _sent_letter(pw, on=date(2026, 11, 10))
    with pytest.raises(UserError) as caught:
        log_event(pw, 1, "response", date(2026, 11, 9), {"summary": "Hm"}, today=TODAY)
    assert caught.value.problems == [
        f"--on: 2026-11-09 is before letter {letter_id} was sent, the first one it can answer "
        "(2026-11-10)."
    ]


def test_the_us_default_channel_is_certified_mail(pw):
    letter = draft_letter(pw, 1, "complaint", date(2026, 11, 1))
    assert default_channel(pw, letter) == "certified"
