"""Shaping inserted text: French typography for text typed in a case file."""

from __future__ import annotations

from paperwork.core.wording import french_spacing


def test_french_spacing_makes_the_space_before_high_punctuation_unbreakable():
    assert french_spacing("au 30 septembre 2026 ; 39,99 €") == "au 30 septembre 2026\u00a0; 39,99 €"
    assert french_spacing("Objet : x") == "Objet\u00a0: x"
    assert french_spacing("Pourquoi? Parce que.") == "Pourquoi\u00a0? Parce que."
    assert french_spacing("« Réclamation »") == "«\u00a0Réclamation\u00a0»"
    assert french_spacing("«Réclamation»") == "«\u00a0Réclamation\u00a0»"


def test_french_spacing_leaves_what_is_already_right_and_what_is_not_prose():
    done = "«\u00a0x\u00a0» et y\u00a0: z\u00a0; w"
    assert french_spacing(done) == done
    for text in ("https://www.cnil.fr/fr/adresser-une-plainte", "14:30", "page?x=1"):
        assert french_spacing(text) == text
