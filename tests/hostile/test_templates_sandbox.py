"""Output file names from hostile titles and kinds, and user templates that try
to reach Python internals."""

from __future__ import annotations

import os
import re

import pytest
from hostile_helpers import TODAY, assert_clean_refusal, assert_terminal_safe, base_case, write_case

SAFE_NAME = re.compile(r"^\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\.(pdf|docx)$")

HOSTILE_TITLES = [
    "../../etc/passwd",
    "..",
    ".",
    "/",
    "CON",
    "con",
    "NUL",
    "com1",
    "LPT9",
    "\uff23\uff2f\uff2e",  # fullwidth CON
    'a/b\\c:d*e?f"g<h>i|j',
    "~/.bashrc",
    "-rf --no-preserve-root",
    ".hidden",
    "x" * 200,
    "Ünïcödé Ťïťłé",
    "Ελληνικά",
    "   ",
]


def _case_with_title(run_cli, tmp_path, title: str, name: str) -> str | None:
    code, out, err = run_cli(
        "case", "new", "--from", str(write_case(tmp_path / name, base_case(title=title)))
    )
    assert_terminal_safe(out + err)
    if code != 0:
        assert_clean_refusal(code, out, err, lines=None)
        return None
    return out.strip().splitlines()[-1]


def test_hostile_titles_write_inside_out_with_safe_unique_names(run_cli, tmp_path):
    out_dir = tmp_path / "deep" / "out"
    written: list[str] = []
    for number, title in enumerate(HOSTILE_TITLES):
        case_id = _case_with_title(run_cli, tmp_path, title, f"c{number}")
        if case_id is None:
            from paperwork.core.glyphs import unprintable

            # refused on entry: empty, or not printable by the letter font (fullwidth letters)
            assert not title.strip() or unprintable(title), f"title {title!r} was refused"
            continue
        code, out, err = run_cli(
            "letter", "draft", case_id, "--kind", "complaint", "--on", TODAY.isoformat()
        )
        if code == 2 and "cannot print" in err:  # fullwidth letters: no glyph in the letter font
            continue
        assert code == 0, err
        letter_id = out.strip().splitlines()[-1]
        code, out, err = run_cli("letter", "render", letter_id, "--out", str(out_dir))
        assert code == 0, err
        for line in out.strip().splitlines():
            path = os.path.realpath(line)
            assert os.path.dirname(path) == os.path.realpath(out_dir), line
            assert SAFE_NAME.match(os.path.basename(path)), line
            assert len(os.path.basename(path)) <= 100
            written.append(os.path.basename(path))
    assert len(written) == len(set(written)), "two letters got the same file name"
    # nothing escaped: the only files written are the letters in out/
    outside = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and out_dir not in p.parents and p.suffix in (".pdf", ".docx")
    ]
    assert outside == []
    stems = {name.rsplit(".", 1)[0].split("-", 1)[1] for name in written}
    assert not any(
        s.split("-")[-1] in {"con", "nul", "com1", "lpt9"} and s.count("-") == 1 for s in stems
    )


def test_a_symlink_in_out_is_replaced_not_followed(run_cli, tmp_path):
    case_id = _case_with_title(run_cli, tmp_path, "Symlink trap", "c")
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "complaint", "--on", TODAY.isoformat()
    )
    letter_id = out.strip().splitlines()[-1]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out_dir / f"{int(letter_id):04d}-complaint-symlink-trap.pdf").symlink_to(victim)
    code, out, err = run_cli(
        "letter", "render", letter_id, "--out", str(out_dir), "--format", "pdf"
    )
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out_dir / f"{int(letter_id):04d}-complaint-symlink-trap.pdf").is_symlink()


def test_hostile_user_kind_names_stay_safe(run_cli, home, tmp_path):
    """A user kind is named by its file; a name such as CON or one with dots still gives a safe file name."""
    kinds = home / "templates" / "kinds"
    bodies = home / "templates" / "bodies"
    kinds.mkdir(parents=True)
    for kind in ("CON", "..evil..", "nul"):
        (kinds / f"{kind}.toml").write_text('title.en_US = "Odd"\nrung = 1\n', encoding="utf-8")
        (bodies / kind).mkdir(parents=True)
        (bodies / kind / "en_US.j2").write_text(
            "{% block subject %}Odd{% endblock %}\n{% block body %}{{ case.summary }}{% endblock %}\n",
            encoding="utf-8",
        )
    case_id = _case_with_title(run_cli, tmp_path, "CON", "c")
    out_dir = tmp_path / "out"
    for kind in ("CON", "..evil..", "nul"):
        code, out, err = run_cli(
            "letter", "draft", case_id, "--kind", kind, "--on", TODAY.isoformat()
        )
        assert code == 0, err
        letter_id = out.strip().splitlines()[-1]
        code, out, err = run_cli("letter", "render", letter_id, "--out", str(out_dir))
        assert code == 0, err
        for line in out.strip().splitlines():
            assert os.path.dirname(os.path.realpath(line)) == os.path.realpath(out_dir)
            assert SAFE_NAME.match(os.path.basename(line)), line


# ---------------------------------------------------------------------------
# User templates in the sandbox

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].system('true') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ case.__class__.__base__.__subclasses__() }}",
    "{{ ''.format.__self__ }}",
    "{{ '{0.__class__.__mro__}'.format(case) }}",
    "{{ request.application.__globals__ }}",
    "{{ config.items() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% set x = case.__dict__ %}{{ x }}",
    "{{ range.__self__ }}",
    "{{ (case.title|attr('__class__')) }}",
    "{{ facts.pop() }}{{ facts.append(1) }}",
    "{% for i in range(10**9) %}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../etc/passwd' %}",
    "{% extends '../kinds/complaint.toml' %}",
    "{% import 'os' as os %}",
    "{{ undefined_variable }}",
    "{% if %}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_templates_cannot_reach_python_internals(run_cli, home, tmp_path, payload):
    folder = home / "templates" / "bodies" / "complaint"
    folder.mkdir(parents=True)
    (folder / "en_US.j2").write_text(
        "{% block subject %}Hello{% endblock %}\n{% block body %}\nBefore "
        + payload
        + " after\n{% endblock %}\n",
        encoding="utf-8",
    )
    case_id = _case_with_title(run_cli, tmp_path, "Sandbox", "c")
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "complaint", "--on", TODAY.isoformat()
    )
    assert "Traceback" not in out + err
    assert_terminal_safe(out + err)
    if code == 0:
        # allowed only if nothing of Python's insides made it into the letter
        letter_id = out.strip().splitlines()[-1]
        code, text, err = run_cli("letter", "show", letter_id)
        assert code == 0
        for leak in ("<class", "__", "function", "module", "root:", "uid="):
            assert leak not in text, f"{payload!r} leaked {leak!r}"
        return
    assert_clean_refusal(code, out, err, lines=1)


def test_a_missing_include_is_named_not_reported_as_a_missing_body(run_cli, home, tmp_path):
    """The body exists; what is missing is the file it includes, and the message must say so."""
    folder = home / "templates" / "bodies" / "complaint"
    folder.mkdir(parents=True)
    (folder / "en_US.j2").write_text(
        "{% block subject %}Hello{% endblock %}\n{% block body %}{% include 'no_such_part.j2' %}{% endblock %}\n",
        encoding="utf-8",
    )
    case_id = _case_with_title(run_cli, tmp_path, "Include", "c")
    code, out, err = run_cli(
        "letter", "draft", case_id, "--kind", "complaint", "--on", TODAY.isoformat()
    )
    assert_clean_refusal(code, out, err, lines=1)
    assert "no_such_part.j2" in err, err


def test_shipped_loader_does_not_read_outside_the_templates(tmp_path):
    """The loader of shipped bodies must refuse '..' like Jinja's FileSystemLoader does."""
    from paperwork.core.catalog import _shipped_body

    assert _shipped_body("../../../../../../../../etc/passwd") is None
    assert _shipped_body("../kinds/complaint.toml") is None
