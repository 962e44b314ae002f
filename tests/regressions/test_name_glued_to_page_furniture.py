"""Regression: page furniture glued to a body's name gave spurious bodies ("Fondation X - Publié le
22", "Département.Dans", "Ville de Y Partager sur Facebook"): a copied page's date line, share
button or a full stop with no space after it ended up inside the name. Invented sentences."""

from __future__ import annotations

import pytest

from maillage.extract.prose import read_name


@pytest.mark.parametrize(("text", "name"), [
    ("La Fondation Orme Rouge - Publié le 22 mars 2024", "Fondation Orme Rouge"),
    ("la Ville de Vitré Partager sur Facebook", "Ville de Vitré"),
    ("la Région Bretagne Mis à jour le 3 avril", "Région Bretagne"),
    ("le Département.Dans le cadre de sa politique", "Département"),
    ("la Fondation Saule.Elle a remis un chèque", "Fondation Saule"),
])
def test_furniture_ends_the_name(text, name):
    n = read_name(text, 0)
    assert n is not None and n.text == name


@pytest.mark.parametrize(("text", "name"), [
    ("la S.A. Tilleul finance le projet", "S.A. Tilleul"),          # an abbreviation's full stops stay
    ("les E.B.E. de la Nièvre recrutent", "E.B.E. de la Nièvre"),
])
def test_abbreviations_keep_their_stops(text, name):
    n = read_name(text, 0)
    assert n is not None and n.text == name


def test_a_glued_bare_level_is_still_a_bare_level():
    n = read_name("le Département.Dans le cadre", 0)
    assert n.head_only and n.end == len("le Département")


@pytest.mark.parametrize(("text", "name"), [
    ("le groupe Tilleul Bretagne Yves DURAND a remis un chèque", "groupe Tilleul Bretagne"),
    ("la Fondation Orme Rouge SNCF soutient", "Fondation Orme Rouge SNCF"),      # an acronym, not a person
    ("la Caisse Locale Saule CCAS", "Caisse Locale Saule CCAS"),
])
def test_a_persons_name_after_a_body_is_not_part_of_it(text, name):
    n = read_name(text, 0)
    assert n is not None and n.text == name
