"""The checker over every kind, in every locale where it applies, on the sample cases:
a letter Paperwork drafts must give it nothing to say (PDF layout included)."""

from __future__ import annotations

import pytest
from test_catalogue import PAIRS, draft_sample

from paperwork.services.check import letter_findings


@pytest.mark.parametrize(("kind_id", "locale"), PAIRS, ids=[f"{k}-{loc}" for k, loc in PAIRS])
def test_the_checker_finds_nothing_in_a_drafted_letter(pw, kind_id, locale):
    letter = draft_sample(pw, kind_id, locale)
    assert letter_findings(pw, letter.id) == []


# -- the sample cases (paperwork/sample/cases): every kind each of them fits ------------


def _sample_pairs() -> list[tuple[str, str]]:
    from paperwork.services.samples import read_sample, sample_names

    return [(name, kind) for name in sample_names() for kind in read_sample(name)["kinds"]]


SAMPLE_PAIRS = _sample_pairs()


@pytest.mark.parametrize(
    ("name", "kind_id"), SAMPLE_PAIRS, ids=[f"{n}-{k}" for n, k in SAMPLE_PAIRS]
)
def test_the_checker_finds_nothing_in_a_sample_letter(pw, name, kind_id):
    from paperwork.services.samples import draft_sample_kind, load_sample

    letter = draft_sample_kind(pw, load_sample(pw, name), kind_id, notes=[])
    assert letter_findings(pw, letter.id) == []
