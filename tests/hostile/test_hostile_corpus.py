"""A fixed corpus of hostile text through case file → draft → PDF and DOCX.

Every entry, in every field that reaches the letter, is either printed literally
(found in the text pypdf extracts from the PDF and python-docx from the DOCX;
``{{ 7*7 }}`` never becomes 49, ``<b>`` never becomes bold) or refused with one
clear line per problem, exit status 2 and no traceback. Whatever happens, no
raw control character reaches the terminal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_helpers import (
    TODAY,
    assert_clean_refusal,
    assert_terminal_safe,
    base_case,
    docx_text,
    pdf_body_text,
    set_path,
    squash,
    write_case,
)

# (id, text, what must happen): "literal" must print as typed, "refused" must be
# refused, "either" may go either way (a glyph the embedded font may lack).
CORPUS = [
    ("xml-specials", "Tom & Jerry <x> \"quoted\" 'single' a<b>c", "literal"),
    ("reportlab-bold", "<b>not bold</b>", "literal"),
    ("reportlab-font", '<font color="red" size="40">not big</font>', "literal"),
    ("reportlab-para", "<para autoLeading='max'>not a para</para>", "literal"),
    ("reportlab-entity", "&amp; &lt; &#x41; &nbsp;", "literal"),
    ("jinja-expr", "{{ 7*7 }}", "literal"),
    ("jinja-raw", "{% raw %}x{% endraw %} {# comment #}", "literal"),
    ("jinja-stmt", "{% for x in range(3) %}loop{% endfor %}", "literal"),
    ("docx-field", "{{r x }} {%p if 1 %}", "literal"),
    ("nul", "before\x00after", "refused"),
    ("vertical-tab", "before\x0bafter", "refused"),
    ("escape-sequence", "red \x1b[31mALERT\x1b[0m \x1b]0;title\x07", "refused"),
    ("c1-csi", "before\x9b31mafter", "refused"),
    ("bidi-rlo", "invoice \u202efdp.exe", "refused"),
    ("bidi-isolate", "a \u2067b\u2069 c", "refused"),
    ("line-separators", "one\u2028two\u2029three", "either"),
    ("emoji-zwj", "family \U0001f469\u200d\U0001f469\u200d\U0001f467", "either"),
    ("combining", "Zoe\u0308 Rene\u0301e a\u0323\u0302 \u01f8", "either"),
    (
        "greek-cyrillic",
        "\u0395\u03bb\u03ad\u03bd\u03b7 \u00b7 \u0414\u043c\u0438\u0442\u0440\u0438\u0439",
        "literal",
    ),
]

# Fields of the case file that end up in the complaint letter; each corpus entry
# goes into all of them at once, with a marker so each can be found.
FIELDS = [
    "title",
    "summary",
    "facts.0.text",
    "remedy",
    "sender.name",
    "company.name",
    "account_number",
    "references.0",
]
_WORDS = ("lorem ipsum dolor " * 1200)[:20_000].strip()
_ONE_WORD = "x" * 20_000
LONG = [
    ("summary", "words", _WORDS),
    ("summary", "one-word", _ONE_WORD),
    ("facts.0.text", "words", _WORDS),
    ("title", "one-word", _ONE_WORD),
    ("sender.name", "words", _WORDS),
    ("company.name", "words", _WORDS),
    ("account_number", "one-word", _ONE_WORD),
]


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _draft_and_render(run_cli, tmp_path, data: dict):
    """case new → letter draft → letter render; returns the first failing step's result or the paths."""
    path = write_case(tmp_path / "in", data)
    code, out, err = run_cli("case", "new", "--from", str(path), "--on", TODAY.isoformat())
    assert_terminal_safe(out + err)
    if code != 0:
        return ("case new", code, out, err)
    case_id = out.strip().splitlines()[-1]
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "complaint", "--on", TODAY.isoformat()
    )
    assert_terminal_safe(out + err)
    if code != 0:
        return ("letter draft", code, out, err)
    letter_id = out.strip().splitlines()[-1]
    code, out, err = run_cli("letter", "render", letter_id, "--out", str(tmp_path / "out"))
    assert_terminal_safe(out + err)
    if code != 0:
        return ("letter render", code, out, err)
    code, shown, err = run_cli("letter", "show", letter_id)
    assert code == 0, _short(err)
    assert_terminal_safe(shown + err)
    code, listed, err = run_cli("case", "show", case_id)
    assert code == 0, _short(err)
    assert_terminal_safe(listed + err)
    paths = out.strip().splitlines()
    pdf = next(p for p in paths if p.endswith(".pdf"))
    docx = next(p for p in paths if p.endswith(".docx"))
    return ("done", squash(pdf_body_text(Path(pdf))), squash(docx_text(Path(docx))))


@pytest.mark.parametrize(("name", "text", "expect"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_text_is_printed_literally_or_refused(run_cli, tmp_path, name, text, expect):
    data = base_case()
    for number, field in enumerate(FIELDS):
        set_path(data, field, f"F{number}:{text}")
    result = _draft_and_render(run_cli, tmp_path, data)
    if result[0] != "done":
        step, code, out, err = result
        assert expect != "literal", (
            f"{step} refused or failed on {name}: exit {code}\n{_short(err)}"
        )
        # one line per problem, each naming where to look
        assert_clean_refusal(code, out, err, lines=None)
        lines = err.strip().splitlines()
        assert all(line.startswith("paperwork: ") for line in lines), _short(err)
        if expect == "refused":
            assert step == "case new"
            assert len(lines) == len(FIELDS), _short(err)
        return
    assert expect != "refused", f"{name} was accepted; it must be refused"
    _, pdf_found, docx_found = result
    for number, field in enumerate(FIELDS):
        wanted = squash(f"F{number}:{text}")
        if field == "remedy":  # inserted mid-sentence: a final full stop may go (wording.inline)
            wanted = wanted.rstrip(".;,:")
        assert wanted in pdf_found, f"{name} in {field}: not printed literally in the PDF"
        assert wanted in docx_found, f"{name} in {field}: not printed literally in the DOCX"
    if name == "jinja-expr":
        assert "49" not in pdf_found and "49" not in docx_found


@pytest.mark.parametrize(("field", "name", "text"), LONG, ids=[f"{c[0]}-{c[1]}" for c in LONG])
def test_twenty_thousand_character_fields_print_in_full(run_cli, tmp_path, field, name, text):
    """A field at the 20,000-character limit is accepted, so it must print, in full,
    in both formats (or be refused with a clear line, never fail)."""
    result = _draft_and_render(run_cli, tmp_path, set_path(base_case(), field, text))
    if result[0] != "done":
        step, code, out, err = result
        assert code == 2, (
            f"{step} failed on a {len(text)}-character {field}: exit {code}\n{_short(err)}"
        )
        assert_clean_refusal(code, out, err, lines=None)
        return
    _, pdf_found, docx_found = result
    assert squash(text) in pdf_found
    assert squash(text) in docx_found


def test_twenty_thousand_characters_is_the_limit(run_cli, tmp_path):
    ok = base_case(summary="y" * 20_000)
    code, out, err = run_cli("case", "new", "--from", str(write_case(tmp_path / "a", ok)))
    assert code == 0, err
    too_long = base_case(summary="y" * 20_001)
    code, out, err = run_cli("case", "new", "--from", str(write_case(tmp_path / "b", too_long)))
    assert_clean_refusal(code, out, err)
    assert "summary" in err and "20,000" in err


def test_five_hundred_facts_render_and_five_hundred_and_one_are_refused(run_cli, tmp_path):
    facts = [
        {"on": f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}", "text": f"Fact number {i} & <b>{i}</b>"}
        for i in range(500)
    ]
    result = _draft_and_render(run_cli, tmp_path, base_case(facts=facts))
    assert result[0] == "done", result
    _, pdf_found, docx_found = result
    for i in (0, 1, 250, 499):
        assert squash(f"Fact number {i} & <b>{i}</b>") in pdf_found
        assert squash(f"Fact number {i} & <b>{i}</b>") in docx_found
    code, out, err = run_cli(
        "case",
        "new",
        "--from",
        str(write_case(tmp_path / "b", base_case(facts=[*facts, facts[0]]))),
    )
    assert_clean_refusal(code, out, err)
    assert "facts" in err


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"\xff\xfe{not utf-8", "UTF-8"),
        (b'{"title": ', "broken JSON"),
        (b"[1, 2, 3]", "object"),
        (b'{"title": "x", "surprise": 1}', "surprise"),
        (b"\xef\xbb\xbf" + json.dumps(base_case(title="BOM first")).encode(), None),
        (
            json.dumps(base_case(amount={"value": 89.99, "currency": "USD"})).encode(),
            "amount.value",
        ),
        (
            json.dumps(base_case(amount={"value": "1e400", "currency": "USD"})).encode(),
            "amount.value",
        ),
        (json.dumps(base_case(facts=[{"on": "2026-02-30", "text": "x"}])).encode(), "facts.0.on"),
        (
            json.dumps(
                base_case(sender={"name": "A", "address": ["x"], "email": "a@b@c"})
            ).encode(),
            "sender.email",
        ),
        (json.dumps(base_case(title=["a", "list"])).encode(), "title"),
        (
            json.dumps(base_case(company={"name": {"nested": 1}, "address": ["x"]})).encode(),
            "company.name",
        ),
        (json.dumps(base_case(jurisdiction="../../etc")).encode(), "jurisdiction"),
        (b"[x]\ntitle = 'toml not json'", "broken JSON"),
        (b'{"title": "' + b"[" * 100_000 + b'"}', None),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
    ids=[
        "not-utf8",
        "truncated",
        "list",
        "unknown-key",
        "bom",
        "float-money",
        "huge-exponent",
        "feb-30",
        "bad-email",
        "title-list",
        "name-object",
        "jurisdiction-path",
        "toml-in-json",
        "deep-string",
        "deep-nesting",
    ],
)
def test_malformed_case_files_are_refused_clearly(run_cli, tmp_path, raw, where):
    path = tmp_path / "case.json"
    path.write_bytes(raw)
    code, out, err = run_cli("case", "new", "--from", str(path))
    if where is None:
        assert code in (0, 2), err
        assert "Traceback" not in err
        return
    assert_clean_refusal(code, out, err, lines=None)
    assert where in err, _short(err)
    assert all(line.startswith("paperwork: ") for line in err.strip().splitlines()), err


def test_toml_case_file_with_hostile_strings(run_cli, tmp_path):
    toml = tmp_path / "case.toml"
    toml.write_text(
        "\n".join(
            [
                'title = "<b>{{ 7*7 }}</b> & \\"quotes\\""',
                'jurisdiction = "US-IL"',
                'locale = "en_US"',
                'category = "billing"',
                'summary = """{% raw %}multi\nline & <para>"""',
                'remedy = "Refund."',
                "[company]",
                'name = "Acme <font>"',
                'address = ["PO Box 1", "Springfield, IL 62701"]',
                "[sender]",
                'name = "Jo & Co"',
                'address = ["1 Road", "Springfield, IL 62704"]',
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli("case", "new", "--from", str(toml))
    assert code == 0, err
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "nul \\u0000 inside"\n', encoding="utf-8")
    code, out, err = run_cli("case", "new", "--from", str(bad))
    assert_clean_refusal(code, out, err, lines=None)
    assert "title" in err and "U+0000" in err
