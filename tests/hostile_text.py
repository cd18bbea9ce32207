"""Hostile text for fuzz tests: markup, template syntax, control characters, bidi
overrides, joiners and combining marks, alone and mixed with random text. Shared
by the case-file, command-line and terminal-app fuzz tests."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = [
    "&",
    "<",
    ">",
    '"',
    "'",
    "<b>",
    "</b>",
    "<font size=40>",
    "<para>",
    "<br/>",
    "&amp;",
    "&#65;",
    "{{ 7*7 }}",
    "{% raw %}",
    "{% endraw %}",
    "{#",
    "#}",
    "{%p if x %}",
    "\x00",
    "\x0b",
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "\u200d",
    "\U0001f469\u200d\U0001f467",
    "e\u0301",
    "\u0308",
    "ß",
    "Ω",
    "Ж",
    "\n",
    "\n\n",
    "- ",
    "\r\n",
    "\t",
    " ",
    "\\",
    "%s",
    "{0}",
    "${x}",
    "\ufeff",
    "\u00a0",
    "\u2028",
]
hostile_text = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(max_codepoint=0x4FF), max_size=120),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=10).map("".join),
)
