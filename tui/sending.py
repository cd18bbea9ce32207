"""Marking a letter sent (from the case screen or the letter screen) and recording its
delivery: one dialog and one rule each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paperwork.tui.base import FAILED, AppAccess

from paperwork.core.i18n import _

if TYPE_CHECKING:
    from paperwork.services.session import Paperwork


def sending_facts(pw: Paperwork, letter_id: int) -> tuple[str, str, str, Any]:
    """The letter in words, its status, the channel to offer first and the day it was drafted."""
    from paperwork.services.describe import kind_title
    from paperwork.services.letters import default_channel, get_letter

    letter = get_letter(pw, letter_id)
    case = pw.store.case(letter.case_id)
    label = _("letter {id} ({kind})").format(
        id=letter_id, kind=kind_title(pw, letter.kind, case.locale)
    )
    return label, letter.status, default_channel(pw, letter), letter.drafted_on


async def mark_letter_sent(screen: AppAccess, letter_id: int) -> bool:
    """Ask for the day and channel, then freeze the letter as sent; True once done."""
    from paperwork.tui.modals import SentModal

    from paperwork.services.letters import mark_sent

    app = screen.app
    facts = await screen.ask(sending_facts, letter_id)
    if facts is FAILED:
        return False
    label, status, default_via, drafted_on = facts
    heading = label[:1].upper() + label[1:]
    if status != "draft":
        app.say(_("{letter} is already marked sent.").format(letter=heading))
        return False
    result = await app.push_screen_wait(
        SentModal(label, app.today, default_via, earliest=drafted_on)
    )
    if result is None:
        return False
    done = await screen.ask(
        mark_sent,
        letter_id,
        result["on"],
        result["via"],
        result["tracking"],
        today=app.today,
        failure=_("Could not mark it sent"),
    )
    if done is FAILED:
        return False
    _letter, note = done
    app.say(_("Marked sent: {note}.").format(note=note), title=heading, timeout=12)
    return True


def delivery_facts(pw: Paperwork, letter_id: int) -> tuple[str, Any, Any]:
    """The letter in words, the day it was sent and the day it was delivered (or None)."""
    from paperwork.services.letters import get_letter

    letter = get_letter(pw, letter_id)
    return sending_facts(pw, letter_id)[0], letter.sent_on, letter.delivered_on


async def mark_letter_delivered(screen: AppAccess, letter_id: int) -> bool:
    """Ask for the day tracking says the letter arrived and record it; True once done.

    Its reply deadline then counts from that day instead of the deemed receipt."""
    from paperwork.tui.modals import DayModal

    from paperwork.services.letters import mark_delivered

    app = screen.app
    facts = await screen.ask(delivery_facts, letter_id)
    if facts is FAILED:
        return False
    label, sent_on, delivered_on = facts
    heading = label[:1].upper() + label[1:]
    if sent_on is None:
        app.say(_("{letter} is not marked sent yet: press s first.").format(letter=heading))
        return False
    if delivered_on is not None:
        app.say(
            _(
                "{letter} is already recorded as delivered on {day}; "
                "Enter on that line of the story corrects it."
            ).format(letter=heading, day=delivered_on.isoformat())
        )
        return False
    result = await app.push_screen_wait(
        DayModal(
            _("Record the delivery of {letter}").format(letter=label),
            _("Delivered on (YYYY-MM-DD)"),
            app.today,
            sent_on,
            _("it was sent"),
            hint=_("The day tracking shows it arrived; its reply deadline counts from then."),
        )
    )
    if result is None:
        return False
    done = await screen.ask(
        mark_delivered,
        letter_id,
        result["on"],
        today=app.today,
        failure=_("Could not record the delivery"),
    )
    if done is FAILED:
        return False
    app.say(
        _("Delivered on {day}: the reply deadline counts from then (Ctrl+Z undoes it).").format(
            day=result["on"].isoformat()
        ),
        title=heading,
    )
    return True
