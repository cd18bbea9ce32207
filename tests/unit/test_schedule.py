"""plan_case: each sent letter's clock and the case's next step (docs/DESIGN.md §6.5, §6.6).

Dates are worked out by hand; the comments show the count.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperwork.core.deadlines import BusinessCalendar
from paperwork.core.ladder import load_ladders
from paperwork.core.model import Case, Company, Event, Fact, Letter, LetterDocument, Party
from paperwork.core.schedule import RETENTION_LEAD_DAYS, plan_case

LADDERS = load_ladders()
STANDARD = LADDERS["standard"]
REGULATED_UK = LADDERS["regulated_uk"]


def make_case(jurisdiction: str = "GB-ENG", **changes) -> Case:
    case = Case(
        title="Charged twice",
        jurisdiction=jurisdiction,
        locale="en_GB",
        category="telecoms",
        company=Company(name="Acme plc", address=["1 High Street", "Leeds"]),
        sender=Party(name="A. Person", address=["2 Low Road", "London"]),
        summary="Charged twice.",
        remedy="Refund one charge.",
        facts=[Fact(date(2026, 10, 1), "Charged twice.")],
        id=1,
    )
    return replace(case, **changes)


def make_letter(
    letter_id: int,
    kind: str,
    sent_on: date | None = None,
    via: str = "first_class",
    window: str = "14d",
    delivered_on: date | None = None,
) -> Letter:
    document = LetterDocument(
        locale="en_GB",
        sender_name="A. Person",
        sender_lines=[],
        sender_contact=[],
        recipient_lines=[],
        place_date="",
        date_iso="",
        references=[],
        subject="",
        salutation="",
        paragraphs=[],
        closing="",
        signature="",
    )
    return Letter(
        case_id=1,
        kind=kind,
        locale="en_GB",
        drafted_on=sent_on or date(2026, 12, 1),
        window=window,
        document=document,
        status="draft" if sent_on is None else ("delivered" if delivered_on else "sent"),
        sent_on=sent_on,
        via=via if sent_on else "",
        delivered_on=delivered_on,
        id=letter_id,
    )


def reply(on: date, resolved: bool = False) -> Event:
    return Event(case_id=1, kind="response", on=on, data={"summary": "reply", "resolved": resolved})


# GB: posted first class Fri 18 Dec 2026, deemed received Tue 22 Dec (2nd business
# day; Christmas Day, Boxing Day and its substitute Mon 28 Dec are bank holidays
# only after that), + 14 days = Tue 5 Jan 2027; the next rung is due Wed 6 Jan.
POSTED = date(2026, 12, 18)
DEADLINE = date(2027, 1, 5)
NEXT_DUE = date(2027, 1, 6)


def complaint_sent() -> Letter:
    return make_letter(1, "complaint", POSTED)


# ---------------------------------------------------------------------------
# the clock and the next rung


def test_a_new_case_waits_for_its_first_letter():
    plan = plan_case(make_case(), [], [], STANDARD, date(2026, 12, 1))
    assert plan.clocks == []
    assert plan.missed_deadlines == 0
    assert plan.next is not None
    assert (plan.next.kind, plan.next.after_letter, plan.next.deadline) == ("complaint", None, None)


def test_a_drafted_first_letter_is_not_asked_for_again():
    plan = plan_case(make_case(), [make_letter(1, "complaint")], [], STANDARD, date(2026, 12, 1))
    assert plan.clocks == []
    assert plan.next is None


def test_next_rung_is_due_the_first_business_day_after_the_deadline():
    plan = plan_case(make_case(), [complaint_sent()], [], STANDARD, date(2026, 12, 20))
    [clock] = plan.clocks
    assert clock.waiting
    assert clock.deadline.deemed_receipt == date(2026, 12, 22)
    assert clock.deadline.deadline == DEADLINE
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.after_letter, plan.next.deadline) == (
        "follow_up",
        NEXT_DUE,
        1,
        DEADLINE,
    )
    assert "2027-01-05" in plan.next.reason


def test_friday_deadline_before_a_monday_holiday_is_followed_on_tuesday():
    # US-IL: emailed Fri 21 Aug 2026 (a business day, so received that day) + 14 days
    # = Fri 4 Sep; Mon 7 Sep is Labor Day, so the next letter is due Tue 8 Sep.
    letter = make_letter(1, "complaint", date(2026, 8, 21), via="email")
    plan = plan_case(make_case("US-IL"), [letter], [], STANDARD, date(2026, 9, 1))
    assert plan.clocks[0].deadline.deadline == date(2026, 9, 4)
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due) == ("follow_up", date(2026, 9, 8))


def test_a_recorded_delivery_date_wins():
    # Delivered Sat 19 Dec + 14 days = Sat 2 Jan, rolled forward to Mon 4 Jan; due Tue 5 Jan.
    letter = make_letter(1, "complaint", POSTED, delivered_on=date(2026, 12, 19))
    plan = plan_case(make_case(), [letter], [], STANDARD, date(2026, 12, 20))
    assert plan.clocks[0].deadline.deemed_receipt == date(2026, 12, 19)
    assert plan.clocks[0].deadline.deadline == date(2027, 1, 4)
    assert plan.next is not None and plan.next.due == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("today", "missed"),
    [(DEADLINE, 0), (NEXT_DUE, 1)],
    ids=["on the deadline", "the day after"],
)
def test_a_deadline_is_missed_only_once_it_has_passed(today, missed):
    plan = plan_case(make_case(), [complaint_sent()], [], STANDARD, today)
    assert plan.missed_deadlines == missed


def test_the_plan_does_not_depend_on_today_except_the_tally():
    before = plan_case(make_case(), [complaint_sent()], [], STANDARD, date(2026, 12, 20))
    after = plan_case(make_case(), [complaint_sent()], [], STANDARD, date(2027, 3, 1))
    assert before.next == after.next
    assert before.clocks == after.clocks


def test_top_of_the_ladder_has_no_next_step():
    letters = [
        make_letter(1, "complaint", date(2026, 9, 1)),
        make_letter(2, "follow_up", date(2026, 10, 1)),
        make_letter(3, "regulator_complaint", date(2026, 11, 2)),
    ]
    plan = plan_case(
        make_case(ladder="regulated_uk"), letters, [], REGULATED_UK, date(2026, 12, 20)
    )
    assert len(plan.clocks) == 3
    assert plan.next is None


def test_letters_off_the_ladder_have_clocks_but_do_not_move_it():
    letters = [complaint_sent(), make_letter(2, "confirm_call", date(2026, 12, 21), via="email")]
    plan = plan_case(make_case(), letters, [], STANDARD, date(2026, 12, 22))
    assert [c.letter.kind for c in plan.clocks] == ["complaint", "confirm_call"]
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.after_letter) == ("follow_up", NEXT_DUE, 1)


# ---------------------------------------------------------------------------
# replies and resolution


def test_a_reply_stops_the_clock():
    plan = plan_case(
        make_case(), [complaint_sent()], [reply(date(2026, 12, 30))], STANDARD, date(2027, 1, 10)
    )
    [clock] = plan.clocks
    assert clock.answered_on == date(2026, 12, 30)
    assert not clock.waiting
    assert plan.next is None
    assert plan.missed_deadlines == 0


def test_the_first_reply_after_sending_is_the_one_that_counts():
    events = [reply(date(2027, 1, 2)), reply(date(2026, 12, 29))]
    plan = plan_case(make_case(), [complaint_sent()], events, STANDARD, date(2027, 1, 10))
    assert plan.clocks[0].answered_on == date(2026, 12, 29)


def test_a_reply_before_the_letter_was_sent_does_not_stop_its_clock():
    plan = plan_case(
        make_case(), [complaint_sent()], [reply(date(2026, 12, 10))], STANDARD, date(2027, 1, 10)
    )
    assert plan.clocks[0].waiting
    assert plan.next is not None and plan.next.kind == "follow_up"


def test_other_events_do_not_stop_the_clock():
    call = Event(case_id=1, kind="call", on=date(2026, 12, 30), data={"waited": 30, "duration": 5})
    plan = plan_case(make_case(), [complaint_sent()], [call], STANDARD, date(2027, 1, 10))
    assert plan.clocks[0].waiting
    assert plan.next is not None and plan.next.kind == "follow_up"


def test_a_late_reply_stops_the_clock_but_the_deadline_was_missed():
    plan = plan_case(
        make_case(), [complaint_sent()], [reply(date(2027, 1, 8))], STANDARD, date(2027, 1, 10)
    )
    assert plan.clocks[0].answered_on == date(2027, 1, 8)
    assert plan.next is None
    assert plan.missed_deadlines == 1


def test_a_new_letter_after_a_reply_starts_a_new_clock():
    # Complaint answered 22 Dec; follow-up emailed Mon 28 Dec (a bank holiday, so received
    # Tue 29 Dec) + 14 days = Tue 12 Jan; the next rung is due Wed 13 Jan.
    letters = [complaint_sent(), make_letter(2, "follow_up", date(2026, 12, 28), via="email")]
    plan = plan_case(make_case(), letters, [reply(date(2026, 12, 22))], STANDARD, date(2027, 1, 12))
    assert [c.answered_on for c in plan.clocks] == [date(2026, 12, 22), None]
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.after_letter) == (
        "escalation_supervisor",
        date(2027, 1, 13),
        2,
    )


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_a_closed_case_has_no_next_step(status):
    plan = plan_case(
        make_case(status=status),
        [complaint_sent()],
        [reply(date(2026, 12, 30), resolved=True)],
        STANDARD,
        date(2027, 1, 10),
    )
    assert plan.next is None
    assert len(plan.clocks) == 1  # the record stays


def test_a_closed_case_has_no_retention_step_either():
    plan = plan_case(
        make_case(status="closed", promo_ends=date(2027, 2, 5)),
        [complaint_sent()],
        [],
        STANDARD,
        date(2027, 1, 10),
    )
    assert plan.next is None


# ---------------------------------------------------------------------------
# the regulator gate


def regulated_letters() -> list[Letter]:
    # Complaint deemed received Tue 22 Dec; the follow-up emailed Wed 6 Jan + 14 days
    # = Wed 20 Jan, so the ladder alone would make the regulator rung due Thu 21 Jan.
    return [complaint_sent(), make_letter(2, "follow_up", date(2027, 1, 6), via="email")]


def test_regulator_rung_waits_for_the_gate():
    # 8 weeks from the complaint's receipt: 22 Dec + 56 days = Tue 16 Feb 2027.
    plan = plan_case(
        make_case(ladder="regulated_uk"),
        regulated_letters(),
        [],
        REGULATED_UK,
        date(2027, 1, 21),
        gate_window="8w",
    )
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.deadline) == (
        "regulator_complaint",
        date(2027, 2, 16),
        date(2027, 1, 20),
    )
    assert "2027-02-16" in plan.next.reason


def test_regulator_rung_without_a_gate_follows_the_deadline():
    plan = plan_case(
        make_case(ladder="regulated_uk"), regulated_letters(), [], REGULATED_UK, date(2027, 1, 21)
    )
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due) == ("regulator_complaint", date(2027, 1, 21))


def test_a_gate_already_open_does_not_delay_the_regulator_rung():
    # 2 weeks from 22 Dec = Tue 5 Jan, long before the follow-up's deadline.
    plan = plan_case(
        make_case(ladder="regulated_uk"),
        regulated_letters(),
        [],
        REGULATED_UK,
        date(2027, 1, 21),
        gate_window="2w",
    )
    assert plan.next is not None and plan.next.due == date(2027, 1, 21)
    assert "regulator takes the case" not in plan.next.reason


def test_the_gate_only_holds_back_the_regulator_rung():
    plan = plan_case(
        make_case(ladder="regulated_uk"),
        [complaint_sent()],
        [],
        REGULATED_UK,
        date(2026, 12, 20),
        gate_window="8w",
    )
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due) == ("follow_up", NEXT_DUE)


def test_the_gate_counts_from_a_recorded_delivery():
    # Delivered Mon 4 Jan 2027 + 8 weeks = Mon 1 Mar 2027.
    letters = [
        make_letter(1, "complaint", POSTED, delivered_on=date(2027, 1, 4)),
        make_letter(2, "follow_up", date(2027, 1, 20), via="email"),
    ]
    plan = plan_case(
        make_case(ladder="regulated_uk"),
        letters,
        [],
        REGULATED_UK,
        date(2027, 2, 5),
        gate_window="8w",
    )
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due) == ("regulator_complaint", date(2027, 3, 1))


# ---------------------------------------------------------------------------
# promotional rates and contract ends


def answered_us_case(**changes) -> tuple[Case, list[Letter], list[Event]]:
    """A US case whose only letter has been answered: nothing else is due."""
    case = make_case("US-IL", **changes)
    letters = [make_letter(1, "complaint", date(2026, 12, 1), via="email")]
    return case, letters, [reply(date(2026, 12, 3))]


def test_retention_request_is_due_thirty_days_before_the_promotion_ends():
    # 15 Mar 2027 - 30 days = Sat 13 Feb, rolled forward past Sunday and Presidents'
    # Day (Mon 15 Feb) to Tue 16 Feb.
    case, letters, events = answered_us_case(promo_ends=date(2027, 3, 15))
    plan = plan_case(case, letters, events, STANDARD, date(2027, 1, 10))
    assert RETENTION_LEAD_DAYS == 30
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.after_letter, plan.next.deadline) == (
        "retention_request",
        date(2027, 2, 16),
        None,
        date(2027, 3, 15),
    )
    assert "promotional rate" in plan.next.reason


def test_the_earlier_of_promotion_and_contract_end_counts():
    # Contract ends Fri 26 Feb 2027 - 30 days = Wed 27 Jan.
    case, letters, events = answered_us_case(
        promo_ends=date(2027, 3, 15), contract_ends=date(2027, 2, 26)
    )
    plan = plan_case(case, letters, events, STANDARD, date(2027, 1, 10))
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due) == ("retention_request", date(2027, 1, 27))
    assert "contract" in plan.next.reason


def test_retention_lead_is_configurable():
    # 15 Mar 2027 - 45 days = Fri 29 Jan.
    case, letters, events = answered_us_case(promo_ends=date(2027, 3, 15))
    plan = plan_case(case, letters, events, STANDARD, date(2027, 1, 10), retention_lead_days=45)
    assert plan.next is not None and plan.next.due == date(2027, 1, 29)


@pytest.mark.parametrize("sent_on", [None, date(2027, 1, 4)], ids=["drafted", "sent"])
def test_no_second_retention_request(sent_on):
    case, letters, events = answered_us_case(promo_ends=date(2027, 3, 15))
    letters.append(make_letter(2, "retention_request", sent_on, via="email"))
    plan = plan_case(case, letters, events, STANDARD, date(2027, 2, 20))
    assert plan.next is None


def test_the_earlier_of_ladder_step_and_retention_request_comes_next():
    # Ladder: follow-up due Wed 6 Jan. Promotion ends 5 Feb → retention due Wed 6 Jan as
    # well; ends 4 Feb → due Tue 5 Jan, which comes first.
    later = plan_case(
        make_case(promo_ends=date(2027, 3, 1)), [complaint_sent()], [], STANDARD, date(2027, 1, 2)
    )
    assert later.next is not None and later.next.kind == "follow_up"
    earlier = plan_case(
        make_case(promo_ends=date(2027, 2, 4)), [complaint_sent()], [], STANDARD, date(2027, 1, 2)
    )
    assert earlier.next is not None
    assert (earlier.next.kind, earlier.next.due) == ("retention_request", date(2027, 1, 5))


def test_a_new_case_with_a_promotion_ending_is_scheduled_for_its_retention_request():
    """Nothing sent yet: the retention request is a scheduled step, due 30 days before the
    end, not hidden behind the unscheduled first letter (docs/DESIGN.md §6.6)."""
    case = make_case("US-IL", promo_ends=date(2027, 3, 15))
    plan = plan_case(case, [], [], STANDARD, date(2027, 1, 10))
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due) == ("retention_request", date(2027, 2, 16))


# ---------------------------------------------------------------------------
# idempotence


def test_planning_twice_gives_the_same_plan_and_changes_nothing():
    letters = [complaint_sent(), make_letter(2, "confirm_call", date(2026, 12, 21), via="email")]
    events = [Event(case_id=1, kind="call", on=date(2026, 12, 21), data={})]
    snapshot = (list(letters), list(events))
    first = plan_case(make_case(promo_ends=date(2027, 6, 1)), letters, events, STANDARD, NEXT_DUE)
    second = plan_case(make_case(promo_ends=date(2027, 6, 1)), letters, events, STANDARD, NEXT_DUE)
    assert first == second
    assert (letters, events) == snapshot


def test_the_order_letters_are_given_in_does_not_matter():
    letters = regulated_letters()
    forward = plan_case(
        make_case(ladder="regulated_uk"), letters, [], REGULATED_UK, date(2027, 1, 21), "8w"
    )
    backward = plan_case(
        make_case(ladder="regulated_uk"), letters[::-1], [], REGULATED_UK, date(2027, 1, 21), "8w"
    )
    assert forward == backward


def test_once_the_next_letter_is_drafted_nothing_more_is_due():
    letters = [complaint_sent(), make_letter(2, "follow_up")]  # the draft reissue made
    plan = plan_case(make_case(), letters, [], STANDARD, NEXT_DUE)
    assert plan.next is None
    # ... and sending that draft starts its own clock: emailed Wed 6 Jan + 14 days = Wed 20 Jan.
    letters[1] = make_letter(2, "follow_up", NEXT_DUE, via="email")
    plan = plan_case(make_case(), letters, [], STANDARD, NEXT_DUE)
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.after_letter) == (
        "escalation_supervisor",
        date(2027, 1, 21),
        2,
    )


def test_a_draft_older_than_the_lapsed_letter_does_not_count_as_reissued():
    letters = [make_letter(1, "follow_up"), make_letter(2, "complaint", POSTED)]
    plan = plan_case(make_case(), letters, [], STANDARD, NEXT_DUE)
    assert plan.next is not None
    assert (plan.next.kind, plan.next.due, plan.next.after_letter) == ("follow_up", NEXT_DUE, 2)


# ---------------------------------------------------------------------------
# properties over many dates


@settings(max_examples=150, deadline=None)
@given(
    jurisdiction=st.sampled_from(["GB-ENG", "US-MA", "DE-BY", "FR", "ES-MD"]),
    sent_on=st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    via=st.sampled_from(["post", "first_class", "second_class", "registered", "email"]),
    window=st.sampled_from(["14d", "10bd", "8w", "1m", "30d"]),
)
def test_the_next_letter_is_due_the_first_business_day_after_the_deadline(
    jurisdiction, sent_on, via, window
):
    calendar = BusinessCalendar(jurisdiction)
    letter = make_letter(1, "complaint", sent_on, via=via, window=window)
    plan = plan_case(make_case(jurisdiction), [letter], [], STANDARD, sent_on)
    [clock] = plan.clocks
    assert plan.next is not None
    due = plan.next.due
    assert due > clock.deadline.deadline
    assert calendar.is_business_day(due)
    day = clock.deadline.deadline + timedelta(days=1)
    while day < due:  # nothing in between is a business day
        assert not calendar.is_business_day(day)
        day += timedelta(days=1)
    # A reply on any day from sending to the deadline stops it.
    answered = plan_case(
        make_case(jurisdiction), [letter], [reply(clock.deadline.deadline)], STANDARD, due
    )
    assert answered.next is None
