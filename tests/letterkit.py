"""A case record that fits every letter kind: the events and sent letters a kind's
premise needs (a logged call, a logged reply, an earlier letter marked sent), with
the typed text (call notes, a reply's summary, offers, names) in the letter's own
language, so the checker reads the letters a person there would get."""

from __future__ import annotations

from datetime import date, timedelta

from paperwork.services.events import log_event
from paperwork.services.letters import draft_letter, mark_sent

# What a person types, per language: the call and the reply of the record, and the
# details and third parties some kinds need.
TEXT = {
    "en": {
        "rep": "Dana",
        "promised": "A refund within 5 days.",
        "reply": "They asked me to call the support line.",
        "merchant": "Example Merchant",
        "competitor_offer": "A competitor offers the same service for 25.00 a month.",
        "payment_plan": "Three monthly payments from January.",
        "card_issuer": "Example Card Bank",
        "card_department": "Card Disputes",
        "card_street": "1 Card Street",
        "credit_bureau": "Example Credit Bureau",
        "bureau_department": "Disputes",
        "bureau_street": "2 Bureau Road",
        "executive": "Office of the Chief Executive",
        "executive_street": "3 Head Office Way",
        "collector": "Example Recovery Services",
        "collector_street": "4 Collection Lane",
        "po_box": "PO Box 100",
    },
    "de": {
        "rep": "Frau Keller",
        "promised": "Erstattung des Betrags innerhalb von 5 Tagen.",
        "reply": "Ich solle die Service-Hotline anrufen.",
        "merchant": "Beispiel Versand GmbH",
        "competitor_offer": "Ein anderer Anbieter bietet denselben Tarif für 25,00 € im Monat an.",
        "payment_plan": "Drei Monatsraten ab Januar.",
        "card_issuer": "Beispielbank AG",
        "card_department": "Kartenservice Reklamationen",
        "card_street": "Kartenstraße 1",
        "credit_bureau": "Beispiel Auskunftei GmbH",
        "bureau_department": "Verbraucherservice",
        "bureau_street": "Auskunftsweg 2",
        "executive": "Geschäftsführung",
        "executive_street": "Hauptstraße 3",
        "collector": "Beispiel Inkasso GmbH",
        "collector_street": "Inkassoweg 4",
        "po_box": "Postfach 100",
    },
    "fr": {
        "rep": "Mme Girard",
        "promised": "Un remboursement sous 5 jours.",
        "reply": "Il m'est demandé d'appeler le service client.",
        "merchant": "Exemple Boutique SAS",
        "competitor_offer": "Un autre opérateur propose le même service pour 25,00 € par mois.",
        "payment_plan": "Trois mensualités à partir de janvier.",
        "card_issuer": "Banque Exemple",
        "card_department": "Service des contestations carte",
        "card_street": "1 rue de la Carte",
        "credit_bureau": "Bureau de crédit Exemple",
        "bureau_department": "Service des réclamations",
        "bureau_street": "2 rue du Bureau",
        "executive": "Direction générale",
        "executive_street": "3 avenue du Siège",
        "collector": "Exemple Recouvrement SAS",
        "collector_street": "4 rue du Recouvrement",
        "po_box": "BP 100",
    },
    "es": {
        "rep": "Lucía",
        "promised": "Un reembolso en un plazo de 5 días.",
        "reply": "Me pidieron que llamara al servicio de atención al cliente.",
        "merchant": "Tienda Ejemplo S.L.",
        "competitor_offer": "Otro operador ofrece el mismo servicio por 25,00 € al mes.",
        "payment_plan": "Tres cuotas mensuales a partir de enero.",
        "card_issuer": "Banco Ejemplo S.A.",
        "card_department": "Departamento de Reclamaciones de Tarjetas",
        "card_street": "Calle de la Tarjeta 1",
        "credit_bureau": "Registro de Solvencia Ejemplo",
        "bureau_department": "Reclamaciones",
        "bureau_street": "Calle del Registro 2",
        "executive": "Dirección General",
        "executive_street": "Calle Mayor 3",
        "collector": "Recobros Ejemplo S.L.",
        "collector_street": "Calle del Cobro 4",
        "po_box": "Apartado de Correos 100",
    },
}


CURRENCY = {"en_US": "USD", "en_GB": "GBP"}


def text_for(locale: str) -> dict[str, str]:
    """The typed text of the fixture record in ``locale``'s language."""
    return TEXT.get(locale.split("_")[0], TEXT["en"])


def details_for(locale: str) -> dict:
    """Inputs beyond the case that kinds declare (see the kinds' `inputs`)."""
    text = text_for(locale)
    return {
        "transaction_amount": {"value": "62.41", "currency": CURRENCY.get(locale, "EUR")},
        "merchant": text["merchant"],
        "report_item": "An account reported as 90 days late in October 2026.",
        "notice_received": "2026-11-10",
    }


def debt_collector_for(locale: str) -> dict:
    text = text_for(locale)
    return {
        "role": "debt_collector",
        "name": text["collector"],
        "address": [text["collector_street"], "Debtville"],
    }


def give_record(pw, case_id: int, today: date, locale: str = "en_US") -> dict[str, int]:
    """Log a call and a reply and send a first complaint, dated before ``today``; the
    typed text is in ``locale``'s language."""
    text = text_for(locale)
    call = log_event(
        pw,
        case_id,
        "call",
        today - timedelta(days=20),
        {
            "waited": 35,
            "duration": 12,
            "rep": text["rep"],
            "ref": "C-77",
            "promised": text["promised"],
        },
    )
    first = draft_letter(pw, case_id, "complaint", today - timedelta(days=30))
    mark_sent(pw, first.id, today - timedelta(days=29), "registered", "RR123456789US")
    reply = log_event(
        pw,
        case_id,
        "response",
        today - timedelta(days=10),
        {"summary": text["reply"]},
    )
    return {"call": call.id, "reply": reply.id, "letter": first.id}
