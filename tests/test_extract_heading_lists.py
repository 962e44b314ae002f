"""Verbless lists of bodies under a role heading (extract/heading_lists.py), invented pages: a
supporters' block one body a line, a footer's "Nos partenaires : A et B", and what is not one
(a sentence that starts like a heading, a long line after it)."""

from __future__ import annotations

import pytest

from maillage.extract.heading_lists import _headings, heading_facts
from maillage.extract.pipeline import extract_text

PAGE = ("L'atelier Les Ormes répare des vélos à Vitré depuis 2019 avec des salariés en insertion.\n\n"
        "Ils nous soutiennent\nFondation Tilleul\nVille de Vitré\n- Région Bretagne\n\n"
        "Nos partenaires : la Mission locale de Vitré et le CCAS de Vitré.\n")


def test_a_supporters_block_lists_funders_one_a_line():
    facts = heading_facts(PAGE)
    funding = [n.text for f in facts if f.relation == "funding" for n in f.names]
    partners = [n.text for f in facts if f.relation == "partnership" for n in f.names]
    assert funding == ["Fondation Tilleul", "Ville de Vitré", "Région Bretagne"]
    assert partners == ["Mission locale de Vitré", "CCAS de Vitré"]
    assert all(PAGE[n.start:n.end] == n.text for f in facts for n in f.names)   # absolute offsets


def test_the_draft_has_the_listed_funders_and_partners():
    draft = extract_text(PAGE, "page.txt", link=False)
    names = {o.key: o.name for o in draft.organisations}
    funders = {names[k] for f in draft.fundings for k in f.funders}
    partners = {names[p.partner] for p in draft.partnerships}
    assert {"Fondation Tilleul", "Ville de Vitré", "Région Bretagne"} <= funders
    assert {"Mission locale de Vitré", "CCAS de Vitré"} <= partners


@pytest.mark.parametrize("text", [
    "Partenaires et habitants se sont retrouvés samedi pour fêter les dix ans de l'atelier.\nFondation Tilleul\n",
    "Ils nous soutiennent depuis le premier jour, avec enthousiasme et fidélité malgré les difficultés.\n",
    "Nos partenaires\nLe projet a été présenté aux élus de la commune lors du conseil municipal de mars dernier.\n",
])
def test_not_a_role_heading_or_not_a_list(text):
    assert not [n for f in heading_facts(text) for n in f.names]


def test_every_heading_of_the_lexicon_reads_a_list():
    for words, relation in _headings():
        text = " ".join(words).capitalize() + "\nFondation Tilleul\nVille de Vitré\n"
        facts = heading_facts(text)
        assert [n.text for f in facts for n in f.names] == ["Fondation Tilleul", "Ville de Vitré"], words
        assert facts[0].relation == relation


def test_partners_listed_in_brackets_after_partenaires():
    from maillage.extract.heading_lists import paren_facts

    names = [n.text for f in paren_facts("La Mutuelle Exemple et ses partenaires (dont l’ADIE) agissent. Une "
                                         "convention de partenariat (Banque Alpha, Caisse Beta et Crédit Gamma) suit.")
             for n in f.names]
    assert names == ["ADIE", "Banque Alpha", "Caisse Beta", "Crédit Gamma"]
    assert all(f.relation == "partnership" for f in paren_facts("ses partenaires (dont l’ADIE)"))
    assert not paren_facts("nos partenaires financiers (Région Exemple)")   # a funding, read elsewhere
    assert not paren_facts("les partenaires (2019)")


def test_brackets_that_spell_out_a_name_list_no_partner():
    from maillage.extract.heading_lists import paren_facts

    assert not paren_facts("en partenariat avec le département le TUS (Transport Utile Solidaire)")
    assert not paren_facts("les partenaires (Exemple Insertion)")   # one name and no "dont"
