"""Finding 2: ``export --redact`` finds personal data the way the case holds it and
the way people write it, in all five locales, never touches the company's name,
and refuses to write when its self-check still finds a personal value."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from clikit import DATA, last_line
from hostile_helpers import assert_clean_refusal

# per locale: a phone number, a card ending, a short-part name and the words that
# introduce them in the case's language
LOCALES = {
    "case_us_ma.toml": (
        "614-555-0147",
        "4417",
        "Marisol Li Okonkwo-Baptiste",
        "marisol.ob@example.net",
    ),
    "case_gb.toml": ("020 7946 0018", "5521", "Amelia Wu O'Connor", "amelia.wu@example.co.uk"),
    "case_de.toml": ("+49 941 555 2210", "7731", "Jürgen Weiß", "juergen.weiss@example.org"),
    "case_fr.toml": ("04 78 55 21 09", "9902", "Hélène Lefèvre", "helene.lefevre@example.org"),
    "case_es.toml": ("+34 612 55 84 21", "3388", "María José Núñez Ye", "mjnunez@example.org"),
}


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _case_file(tmp_path: Path, name: str) -> tuple[Path, dict]:
    data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    phone, last4, person, email = LOCALES[name]
    data["sender"].update(name=person, phone=phone, email=email)
    data.setdefault("details", {})["card_last4"] = last4
    account = data["account_number"]
    local, domain = email.split("@")
    street = data["sender"]["address"][0]
    data["facts"] = [
        *data.get("facts", []),
        {
            "on": "2026-10-20",
            "text": f"Account {_squeeze(account)} was billed twice; ref {_squeeze(data['references'][0])}.",
        },
        {"on": "2026-10-21", "text": f"Call me on {_squeeze(phone)} or {phone}."},
        {"on": "2026-10-22", "text": f"Signed {person.upper()} ({person.split()[-1].lower()})."},
        {
            "on": "2026-10-23",
            "text": f"Write to {local} at {domain.replace('.', ' dot ')} or {local} [at] {domain}.",
        },
        {"on": "2026-10-24", "text": f"I live at {street.upper()}, near the station."},
        {"on": "2026-10-25", "text": f"Paid with my card ending {last4}."},
    ]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path, data


def _forms(data: dict) -> list[str]:
    """Every personal value of the case in the forms the test wrote them."""
    sender = data["sender"]
    phone, email = sender["phone"], sender["email"]
    local, domain = email.split("@")
    values = [
        sender["name"],
        sender["name"].upper(),
        *[part for part in re.split(r"[\s'-]+", sender["name"]) if len(part) >= 2],
        email,
        f"{local} at {domain.replace('.', ' dot ')}",
        f"{local} [at] {domain}",
        phone,
        _squeeze(phone),
        data["account_number"],
        _squeeze(data["account_number"]),
        _squeeze(data["references"][0]),
        f"ending {data['details']['card_last4']}",
        *sender["address"],
        sender["address"][0].upper(),
        "Dispatcher Bob Okafor",
    ]
    return values


@pytest.fixture
def realistic_store(run_cli, tmp_path):
    cases = []
    for number, name in enumerate(sorted(LOCALES), start=1):
        path, data = _case_file(tmp_path, name)
        code, out, err = run_cli("case", "new", "--from", str(path))
        assert code == 0, (name, err)
        cases.append(data)
        code, out, err = run_cli(
            "letter", "draft", str(number), "--kind", "complaint", "--on", "2026-11-02"
        )
        assert code == 0, (name, err)
        letter = last_line(out)
        code, out, err = run_cli(
            "letter",
            "sent",
            letter,
            "--on",
            "2026-11-03",
            "--via",
            "registered",
            "--tracking",
            f"RR{number}48812{number}DE",
        )
        assert code == 0, (name, err)
        code, out, err = run_cli(
            "log",
            "call",
            str(number),
            "--on",
            "2026-11-04",
            "--waited",
            "30",
            "--duration",
            "12",
            "--rep",
            "Dispatcher Bob Okafor",
            "--ref",
            f"CX-99{number}812",
            "--notes",
            f"Told them my number {data['sender']['phone']} again",
        )
        assert code == 0, (name, err)
    return cases


def test_redacted_export_holds_no_personal_value_in_any_written_form(
    run_cli, realistic_store, tmp_path
):
    out = tmp_path / "public.json"
    code, _o, err = run_cli("export", "--redact", "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    folded = text.casefold()
    squeezed_strings = [_squeeze(s).casefold() for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]
    for data in realistic_store:
        for value in _forms(data):
            assert not re.search(rf"(?<!\w){re.escape(value.casefold())}(?!\w)", folded), value
            if sum(ch.isdigit() for ch in value) >= 5:
                assert not any(_squeeze(value).casefold() in s for s in squeezed_strings), value
        # the company is what the dispute is about: its name stays whole
        assert data["company"]["name"] in text
    doc = json.loads(text)
    assert all(case["company"]["name"] for case in doc["cases"])
    # the redacted export still imports
    from paperwork.cli.main import main

    try:
        main(["--home", str(tmp_path / "other"), "import", str(out)])
    except SystemExit as exc:
        assert exc.code in (0, None)


def test_two_letter_name_parts_and_uppercase_names_are_masked():
    from paperwork.store.redact import leftovers, redact_export

    doc = {
        "format": "paperwork-export",
        "settings": {},
        "cases": [
            {
                "company": {"name": "Northwind Cable Communications", "department": "Billing"},
                "sender": {"name": "Li Wu", "address": ["7 Oak Lane"], "email": "li@example.net"},
                "account_number": "NW-7730-1184-52",
                "summary": "LI WU here; Northwind Cable Communications billed NW7730118452. Wu paid.",
                "references": [],
            }
        ],
        "letters": [],
        "events": [],
    }
    redacted = redact_export(doc)
    summary = redacted["cases"][0]["summary"]
    assert "Northwind Cable Communications billed" in summary
    assert "LI" not in summary and "Wu" not in summary and "7730118452" not in summary
    assert leftovers(doc, redacted) == []


def test_self_check_refuses_to_write(run_cli, realistic_store, tmp_path, monkeypatch):
    import paperwork.store.redact as redact

    monkeypatch.setattr(
        redact, "redact_export", lambda doc: doc
    )  # a redaction that forgot everything
    out = tmp_path / "leak.json"
    code, o, err = run_cli("export", "--redact", "--out", str(out))
    assert_clean_refusal(code, o, err)
    assert "nothing was written" in err and not out.exists()
    for data in realistic_store:
        assert data["sender"]["name"] not in err  # the refusal names the field, not the value
