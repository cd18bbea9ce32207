"""Issue #16, "Done when": a dozen people on separate data folders, one pool, through the CLI.

A real pool server on 127.0.0.1 (SQLite, and PostgreSQL when a cluster is given).
Each person has a data folder of their own and a case with their own personal
details; the organiser creates the pool (threshold 10), everyone joins, sends a
letter and shares. Then: every later letter states the count (read back from its
PDF), ``pool stats --json`` and the public page agree, the server's database holds
nothing personal, ``leave --erase`` uncounts a member, and a share made while the
server is down arrives once when it is back.
"""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import date
from pathlib import Path

from poolkit import start_server

PEOPLE = 12
FIRST = ["Amelia", "Bastian", "Chiara", "Dmitri", "Eleanor", "Farid", "Greta", "Hiroshi",
         "Ingrid", "Joaquin", "Katarzyna", "Lorcan"]  # fmt: skip


def person(index: int) -> dict[str, object]:
    """The case file of person ``index``: the sample case with their own details."""
    from paperwork.services.demo import sample_case_path

    case = json.loads(sample_case_path().read_text())
    case["sender"] = {
        "name": f"{FIRST[index]} Quillfeather",
        "address": [f"{101 + index} Larkspur Crescent", "Springfield, IL 62704"],
        "country": "US",
        "email": f"{FIRST[index].lower()}.q@mailbox.example",
        "phone": f"+1 217 555 01{index:02d}",
    }
    case["account_number"] = f"ACCT-{7300 + index}-{index:02d}"
    case["references"] = [f"TICKET-{88000 + index}"]
    case["summary"] = f"My bill was doubled; neighbour code {FIRST[index]}-zeta-{index}."
    return case


def personal_values(case: dict) -> list[str]:
    sender = case["sender"]
    return [
        sender["name"],
        sender["address"][0],
        sender["email"],
        sender["phone"],
        case["account_number"],
        case["references"][0],
        case["summary"],
    ]


class Person:
    """One person's data folder, driven through the command line in-process."""

    def __init__(self, home: Path, capsys) -> None:
        self.home, self.capsys = home, capsys

    def run(self, *args: str, ok: bool = True) -> tuple[int, str, str]:
        from paperwork.cli.main import main

        try:
            main(["--home", str(self.home), *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = self.capsys.readouterr()
        if ok:
            assert code == 0, (args, out, err)
        return code, out, err

    def last(self, *args: str) -> str:
        return self.run(*args)[1].strip().splitlines()[-1]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def db_dump(db_url: str) -> str:
    """Every value of every table of the server's database, as one text."""
    from sqlalchemy import MetaData, create_engine, select

    url = db_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    parts = []
    with engine.connect() as db:
        for table in meta.sorted_tables:
            for row in db.execute(select(table)):
                parts.append(" ".join(str(v) for v in row))
    engine.dispose()
    return "\n".join(parts)


def test_a_dozen_people_one_pool(server, tmp_path, capsys):
    today = date.today().isoformat()
    people = [Person(tmp_path / f"person{i}", capsys) for i in range(PEOPLE)]
    organiser = people[0]
    link = organiser.last(
        "pool", "create", "--server", server.url, "--company", "Acme Broadband",
        "--country", "US", "--category", "billing", "--title", "Double billing",
        "--threshold", "10",
    )  # fmt: skip
    assert "/j/" in link
    secrets: list[str] = []
    for index, someone in enumerate(people):
        case = person(index)
        secrets += personal_values(case)
        case_file = tmp_path / f"case{index}.json"
        case_file.write_text(json.dumps(case))
        assert someone.last("case", "new", "--from", str(case_file)) == "1"
        member_id = someone.last("pool", "join", link, "--case", "1")
        assert re.fullmatch(r"[A-Za-z0-9_-]{6,}", member_id)
        letter = someone.last("letter", "draft", "1", "--kind", "complaint")
        someone.run("letter", "sent", letter, "--on", today, "--via", "certified")
        _code, dry, _err = someone.run("pool", "share", "1", "--dry-run", "--json")
        assert not any(value in dry for value in personal_values(case))
        someone.run("pool", "share", "1")

    # pool stats --json: the §9 shape, every member and letter counted once
    stats = json.loads(organiser.run("pool", "stats", "1", "--json")[1])
    assert list(stats) == [
        "pool", "title", "company", "page", "threshold", "members", "letters_sent",
        "by_kind", "regulator_referrals", "cancellations", "outcomes", "since", "as_of",
    ]  # fmt: skip
    assert stats["members"] == PEOPLE and stats["letters_sent"] == PEOPLE
    assert stats["by_kind"] == {"complaint": PEOPLE}
    assert stats["regulator_referrals"] is None  # under the threshold: withheld

    # the public page says the same
    with urllib.request.urlopen(stats["page"], timeout=10) as answer:
        page = answer.read().decode()
    assert stats["title"] in page and str(PEOPLE) in page
    assert "fewer than 10" in page

    # every later letter states the count, read back from its PDF
    for someone in people:
        letter = someone.last("letter", "draft", "1", "--kind", "follow_up")
        out = tmp_path / "letters" / someone.home.name
        someone.run("letter", "render", letter, "--out", str(out))
        text = pdf_text(next(out.glob("*.pdf")))
        assert f"I am one of {PEOPLE} Acme Broadband customers" in text, text

    # nothing personal on the server, in any table
    dump = db_dump(server.db_url)
    assert dump  # the tables were read
    leaked = [value for value in secrets if value in dump]
    assert not leaked

    # a member who leaves with --erase disappears from the count
    people[-1].run("pool", "leave", "1", "--erase")
    stats = json.loads(organiser.run("pool", "stats", "1", "--json")[1])
    assert stats["members"] == PEOPLE - 1 and stats["letters_sent"] == PEOPLE - 1
    code, _out, err = people[-1].run("pool", "share", "1", ok=False)
    assert code == 2 and len(err.strip().splitlines()) == 1  # a case in no pool: bad input

    # a share made while the server is down waits, then arrives once
    late = people[1]
    server.stop()
    letter = late.last("letter", "draft", "1", "--kind", "follow_up")  # figures kept: as of …
    out_dir = tmp_path / "offline"
    late.run("letter", "render", letter, "--out", str(out_dir))
    text = pdf_text(next(out_dir.glob("*.pdf")))
    assert f"I am one of {PEOPLE} Acme Broadband customers" in text  # the kept figures
    assert re.search(r"As of \w+ \d+, \d{4}", text)
    late.run("letter", "sent", letter, "--on", today, "--via", "email")
    _code, out, _err = late.run("pool", "share", "1")
    assert out.strip().count("\n") == 0 and "1 event waits" in out
    _code, out, _err = late.run("pool", "sync")
    assert "1 event waits" in out
    port = int(server.url.rsplit(":", 1)[1])
    back = start_server(server.db_url, tmp_path / "server2.log", port)
    try:
        assert "Sent 1 queued event." in late.run("pool", "sync")[1]
        assert "Sent 0 queued events." in late.run("pool", "sync")[1]
        late.run("pool", "share", "1")  # nothing new: nothing counted twice
        stats = json.loads(late.run("pool", "stats", "1", "--json")[1])
        assert stats["letters_sent"] == PEOPLE  # 11 complaints + the late follow-up
        assert stats["by_kind"] == {"complaint": PEOPLE - 1, "follow_up": None}
    finally:
        back.stop()
