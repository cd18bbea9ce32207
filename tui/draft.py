"""The short form between choosing a letter kind and its draft: exactly what that kind
needs beyond the case (the call it confirms, the reply it answers, a detail the case
lacks) and the letter's own request, each refused at its field in plain words.

The catalogue says what a kind needs (``inputs`` in ``paperwork kinds --json``); the
same checks as ``paperwork letter draft --call ID --reply ID --ask TEXT`` then run
when it is drafted, and what they still refuse comes back under the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from marshmallow import ValidationError
from paperwork.tui.base import KeyFooter
from paperwork.tui.modals import FormModal, first_message, parse_date, unprintable_problem
from paperwork.tui.safe_widgets import ErrorLine, SafeInput
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Select, Static

from paperwork.core.errors import UserError
from paperwork.core.i18n import N_, _

if TYPE_CHECKING:
    from paperwork.core.model import Event
    from paperwork.services.session import Paperwork

# The case details each input of the catalogue reads (check_inputs asks for these).
INPUT_DETAILS: dict[str, tuple[str, ...]] = {
    "transaction": ("transaction_date", "transaction_amount"),
    "statement_date": ("statement_date",),
    "cancel_on": ("cancel_on",),
    "payment_plan": ("payment_plan",),
    "customer_since": ("customer_since",),
    "report_item": ("report_item",),
}
DATE_DETAILS = ("transaction_date", "statement_date", "cancel_on", "customer_since")
DETAIL_WORDS = {
    "transaction_date": N_("Day of the disputed payment (YYYY-MM-DD)"),
    "transaction_amount": N_("Amount of the disputed payment"),
    "statement_date": N_("Statement date (YYYY-MM-DD)"),
    "cancel_on": N_("Cancel on (YYYY-MM-DD)"),
    "payment_plan": N_("Payment plan you propose"),
    "customer_since": N_("Customer since (YYYY-MM-DD)"),
    "report_item": N_("The item of your credit report that is wrong"),
}
# What the case itself must give (a kind's ``needs``), in the case form's words.
NEED_WORDS = {
    "amount": N_("the amount in dispute"),
    "account_number": N_("the account number"),
    "remedy": N_("what you want (the remedy)"),
    "facts": N_("what happened (at least one fact)"),
}
TACTIC_WORDS = {
    "call_us": N_("They asked me to phone them"),
    "account_not_found": N_("They say they cannot find my account"),
    "policy": N_("They point to their policy"),
    "send_id": N_("They ask for proof of identity"),
}


@dataclass
class DraftNeeds:
    """What drafting one kind for one case asks of the person (plain data for the form)."""

    kind: str
    title: str
    calls: list[tuple[int, str]] = field(default_factory=list)
    replies: list[tuple[int, str]] = field(default_factory=list)
    wants_call: bool = False
    wants_reply: bool = False
    wants_tactic: bool = False
    details: list[str] = field(default_factory=list)  # case details missing, by name
    currency: str = ""  # the case's currency, offered for an amount
    ask_used: bool = True  # the kind's letter has a sentence for its own request
    ask_required: bool = False  # the kind asks for one offer and the case names none
    problems: list[str] = field(default_factory=list)  # what only the case can fix

    @property
    def empty(self) -> bool:
        """Nothing to ask: the kind can be drafted at once."""
        return not (
            self.wants_call
            or self.wants_reply
            or self.wants_tactic
            or self.details
            or self.ask_used
            or self.problems
        )


def _event_label(event: Event) -> str:
    data = event.data
    if event.kind == "call":
        parts = [event.on.isoformat()]
        if data.get("rep"):
            parts.append(str(data["rep"]))
        if data.get("ref"):
            parts.append(_("ref {ref}").format(ref=data["ref"]))
        label = " · ".join(parts)
        return label if len(label) <= 49 else label[:48].rstrip() + "…"
    summary = str(data.get("summary", ""))
    if len(summary) > 36:  # one line in the dialog's picker, date included
        summary = summary[:35].rstrip() + "…"
    return f"{event.on.isoformat()} · {summary}"


def _uses_ask(pw: Paperwork, kind_id: str, locale: str) -> bool:
    """Whether the kind's body (in the case's language) has a place for ``ask``."""
    try:
        from jinja2 import meta

        env = pw.catalog.env
        assert env.loader is not None
        source = env.loader.get_source(env, f"{kind_id}/{locale}.j2")[0]
        return "ask" in meta.find_undeclared_variables(env.parse(source))
    except Exception:  # a body that does not parse is refused when drafting, not here
        return True


def draft_needs(pw: Paperwork, case_id: int, kind_id: str, today: date) -> DraftNeeds:
    """What ``kind_id`` needs for ``case_id`` beyond what the case already gives."""
    from paperwork.letters.compose import History, cancellation_on_record, missing_needs
    from paperwork.services.describe import kind_title

    case = pw.store.case(case_id)
    kind = pw.catalog.get(kind_id)
    events = sorted(pw.store.events(case_id), key=lambda e: (e.on, e.id or 0))
    needs = DraftNeeds(kind=kind_id, title=kind_title(pw, kind_id, case.locale))
    needs.calls = [(e.id or 0, _event_label(e)) for e in events if e.kind == "call"]
    needs.replies = [(e.id or 0, _event_label(e)) for e in events if e.kind == "response"]
    needs.wants_call = "call" in kind.inputs
    needs.wants_reply = "reply" in kind.inputs
    needs.wants_tactic = kind_id == "stalling_reply"
    needs.currency = case.amount.currency if case.amount else ""
    for need in kind.inputs:
        for name in INPUT_DETAILS.get(need, ()):
            if getattr(case.details, name, None) in (None, "") and name not in needs.details:
                needs.details.append(name)
    needs.ask_used = _uses_ask(pw, kind_id, case.locale)
    needs.ask_required = (
        "offer" in kind.inputs and not case.details.competitor_offer and not case.promo_ends
    )
    for name in missing_needs(case, kind):
        needs.problems.append(
            _("The case does not give {what}: press Escape, then e to add it.").format(
                what=_(NEED_WORDS[name]) if name in NEED_WORDS else name
            )
        )
    sent = [letter for letter in pw.store.letters(case_id) if letter.sent_on]
    history = History(sent, events)
    if {"earlier_letter", "earlier_contact"} & set(kind.inputs):
        calls = needs.calls if "earlier_contact" in kind.inputs else []
        if not history.letters and not calls:
            needs.problems.append(
                _(
                    "This letter follows an earlier one, and none of the case's letters is "
                    "marked sent yet: mark the first one sent (s) once it has gone out."
                )
            )
    if "not_cancelled" in kind.states:
        cancelled = cancellation_on_record(history)
        if cancelled:
            needs.problems.append(
                _(
                    "The case already records a cancellation ({what}), so this letter no "
                    "longer fits; a follow-up letter does."
                ).format(what=cancelled)
            )
    return needs


def draft_with(
    pw: Paperwork,
    case_id: int,
    kind_id: str,
    today: date,
    details: dict[str, Any],
    options: dict[str, Any],
) -> int:
    """Put the details typed in the form on the case (one change, undoable), then draft
    the letter with the form's choices; returns the new letter's id."""
    from paperwork.core.schema import DetailsSchema
    from paperwork.letters.compose import LetterOptions
    from paperwork.services.cases import edit_case
    from paperwork.services.letters import draft_letter

    if details:
        case = pw.store.case(case_id)
        typed = DetailsSchema(partial=True).load(details)
        merged = replace(case.details, **{k: getattr(typed, k) for k in details})
        edit_case(pw, case_id, {"details": merged})
    letter = draft_letter(
        pw,
        case_id,
        kind_id,
        today,
        tactic=options.get("tactic", ""),
        options=LetterOptions(
            call_id=options.get("call_id"),
            reply_id=options.get("reply_id"),
            ask=options.get("ask", ""),
        ),
    )
    assert letter.id is not None
    return letter.id


# A refusal of the drafting service, by the option or field it names, to the form's field.
PROBLEM_FIELDS = {
    "--ask": "draft-ask",
    "--call": "draft-call",
    "--reply": "draft-reply",
    "--tactic": "draft-tactic",
}


class DraftModal(FormModal):
    """Ask for what the chosen kind needs, then draft it (the result is the letter id)."""

    HELP = N_(
        "What this kind of letter needs beyond the case: the call or reply it is about, "
        "a detail the case lacks, and, if you wish, its own request in a few words. "
        "Ctrl+S drafts it."
    )

    def __init__(self, case_id: int, needs: DraftNeeds):
        super().__init__()
        self.case_id = case_id
        self.needs = needs

    def compose(self) -> ComposeResult:
        needs = self.needs
        with VerticalScroll(classes="dialog"):
            yield Static(
                _("Draft: {kind}").format(kind=needs.title), classes="dialog-title", markup=False
            )
            for problem in needs.problems:
                yield Static(problem, classes="field-error", markup=False)
            if needs.wants_call:
                yield from self._pick("draft-call", _("The call it confirms"), needs.calls)
            if needs.wants_reply:
                yield from self._pick("draft-reply", _("The reply it answers"), needs.replies)
            if needs.wants_tactic:
                yield from self.field(
                    _("What their reply does"),
                    Select(
                        [(_(words), tactic) for tactic, words in TACTIC_WORDS.items()],
                        prompt=_("Choose one"),
                        id="draft-tactic",
                    ),
                    "draft-tactic",
                )
            for name in needs.details:
                yield from self._detail(name)
            if needs.ask_used:
                yield from self.field(
                    _("What this letter asks for")
                    if needs.ask_required
                    else _("What this letter asks for (optional)"),
                    SafeInput(
                        placeholder=_("e.g. refund the second charge of $89.99"),
                        id="draft-ask",
                    ),
                    "draft-ask",
                    note=_("The one offer you ask them to make.") if needs.ask_required else "",
                )
            yield from self.buttons(_("Draft"))
        yield KeyFooter()

    def _pick(self, field_id: str, label: str, events: list[tuple[int, str]]) -> ComposeResult:
        """A choice among the case's logged calls or replies, the latest first."""
        if not events:
            yield Static(label, classes="field-label")
            yield Static(
                _("No call is logged on this case: press Escape, then c to log it.")
                if field_id == "draft-call"
                else _("No reply is logged on this case: press Escape, then r to log it."),
                classes="field-error",
                id=f"{field_id}-missing",
            )
            return
        options = [(text, event_id) for event_id, text in reversed(events)]
        yield from self.field(
            label,
            Select(options, value=options[0][1], allow_blank=False, id=field_id),
            field_id,
        )

    def _detail(self, name: str) -> ComposeResult:
        label = _(DETAIL_WORDS[name]) if name in DETAIL_WORDS else name
        field_id = f"draft-{name.replace('_', '-')}"
        note = _("The case lacks it; it is saved with the case.")
        if name != "transaction_amount":
            yield from self.field(label, SafeInput(id=field_id), field_id, note=note)
            return
        yield Static(label, classes="field-label")
        with Horizontal(classes="pair"):
            with Vertical():
                yield SafeInput(placeholder=_("e.g. 89.99"), id="draft-amount-value")
                yield ErrorLine(id="draft-amount-value-error")
            with Vertical():
                yield SafeInput(
                    self.needs.currency,
                    placeholder=_("e.g. USD, GBP, EUR"),
                    id="draft-amount-currency",
                )
                yield ErrorLine(id="draft-amount-currency-error")
        yield Static(note, classes="field-note")
        yield ErrorLine(id=f"{field_id}-error")

    # -- reading the form ------------------------------------------------------------
    def _details(self) -> dict[str, Any]:
        """The details typed, as a case file gives them; a red line under each refused."""
        from paperwork.core.schema import DetailsSchema

        out: dict[str, Any] = {}
        for name in self.needs.details:
            field_id = f"draft-{name.replace('_', '-')}"
            if name == "transaction_amount":
                value = self.query_one("#draft-amount-value", Input).value.strip()
                currency = self.query_one("#draft-amount-currency", Input).value.strip().upper()
                out[name] = {"value": value, "currency": currency}
                if not value:
                    self.error("draft-amount-value", _("Required: please fill this in."))
                    continue
            else:
                text = self.query_one(f"#{field_id}", Input).value.strip()
                if not text:
                    self.error(field_id, _("Required: please fill this in."))
                    continue
                if unprintable_problem(text):
                    self.error(field_id, unprintable_problem(text))
                    continue
                if name in DATE_DETAILS:
                    try:
                        text = parse_date(text).isoformat()
                    except ValidationError as exc:
                        self.error(field_id, first_message(exc))
                        continue
                out[name] = text
            try:
                DetailsSchema(partial=True).load({name: out[name]})
            except ValidationError as exc:
                messages = exc.messages if isinstance(exc.messages, dict) else {}
                found = messages.get(name, exc.messages)
                if name == "transaction_amount" and isinstance(found, dict):
                    for key, where in (("value", "value"), ("currency", "currency")):
                        if key in found:
                            self.error(
                                f"draft-amount-{where}", first_message(ValidationError(found[key]))
                            )
                else:
                    self.error(field_id, first_message(ValidationError(found)))
        return out

    def _options(self) -> dict[str, Any]:
        from paperwork.core.schema import clean_text

        out: dict[str, Any] = {}
        for key, field_id in (("call_id", "draft-call"), ("reply_id", "draft-reply")):
            found = self.query(f"#{field_id}")
            if found:
                out[key] = found.first(Select).value
        if self.needs.wants_tactic:
            tactic = self.query_one("#draft-tactic", Select).value
            if tactic not in TACTIC_WORDS:
                self.error("draft-tactic", _("Choose what their reply does."))
            else:
                out["tactic"] = tactic
        if self.needs.ask_used:
            try:
                out["ask"] = clean_text(
                    self.query_one("#draft-ask", Input).value.strip(), multiline=False
                )
            except ValidationError as exc:
                self.error("draft-ask", first_message(exc))
            else:
                problem = unprintable_problem(out["ask"])
                if problem:
                    self.error("draft-ask", problem)
                elif self.needs.ask_required and not out["ask"]:
                    self.error(
                        "draft-ask",
                        _("Required: write the offer you want, e.g. the new price per month."),
                    )
        return out

    @property
    def blockers(self) -> list[str]:
        """What only the case can fix, so nothing typed here lets the letter be drafted."""
        needs = self.needs
        lines = list(needs.problems)
        if needs.wants_call and not needs.calls:
            lines.append(_("No call is logged on this case: press Escape, then c to log it."))
        if needs.wants_reply and not needs.replies:
            lines.append(_("No reply is logged on this case: press Escape, then r to log it."))
        return lines

    def action_save(self) -> None:
        self.errors_clear()
        if self.blockers:
            self.app.say("\n".join(self.blockers), title=_("Not drafted"), error=True)
            return
        details = self._details()
        options = self._options()
        if self.first_error is None:
            self.draft(details, options)

    @on(Input.Submitted)
    def _enter(self) -> None:
        self.action_save()

    @work(exclusive=True, group="draft")
    async def draft(self, details: dict[str, Any], options: dict[str, Any]) -> None:
        app = self.app
        try:
            letter_id = await app.backend.call(
                draft_with, self.case_id, self.needs.kind, app.today, details, options
            )
        except UserError as exc:
            self._refused(exc.problems)
            return
        except Exception as exc:
            app.report(exc, _("Could not draft that letter"))
            return
        self.dismiss(letter_id)

    def _refused(self, problems: list[str]) -> None:
        """Each problem under the field it names; the rest in one message."""
        rest = []
        for line in problems:
            name, _sep, message = line.partition(": ")
            field_id = PROBLEM_FIELDS.get(name)
            if name.startswith("details."):
                field_id = f"draft-{name.removeprefix('details.').replace('_', '-')}"
                if name == "details.transaction_amount":
                    field_id = "draft-amount-value"
            if field_id and self.query(f"#{field_id}-error"):
                self.error(field_id, message)
            else:
                rest.append(line)
        if rest:
            self.app.say("\n".join(rest), title=_("Could not draft that letter"), error=True)
