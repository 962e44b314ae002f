"""Amounts tied to the right funder, by mechanisms meant to generalise (issue 13, tied recall):
a sum for counted recipients is no one's grant, each with an invented sentence."""

from __future__ import annotations

import pytest

from maillage.extract.pipeline import extract_text
from maillage.extract.syntax import for_several


def _pairs(text: str) -> set[tuple[str, float | None]]:
    draft = extract_text(text, "d.txt", link=False)
    names = {o.key: o.name for o in draft.organisations}
    return {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}


@pytest.mark.parametrize("sentence, count", [
    ("Le comité a accordé 61 000 € de subventions à 7 associations.", 7),
    ("9 nouveaux projets ont été soutenus pour un montant de 382 000 euros.", 9),
    ("Elle a voté 65 500 € afin de soutenir cinq tiers-lieux ruraux.", 5),
    ("1,5 million d'euros ont été accordés pour soutenir une cinquantaine de projets.", 50),
    ("La Région verse 20 000 € à l'atelier pour ses 3 salariés.", 0),      # employees are no recipients
    ("La Fondation soutient le projet à hauteur de 10 000 €.", 0),
    ("Une aide de 2 000 € pour 1 projet.", 0),
])
def test_counted_recipients(sentence, count):
    assert for_several(sentence) == count


@pytest.mark.parametrize("second", [
    "Le 12 décembre, son comité s'est réuni. 9 nouveaux projets ont été soutenus pour un montant de 382 000 euros.",
    "Le 12 décembre, la Fondation Tilleul Doré a décidé de verser 382 000 euros afin de soutenir une cinquantaine de projets.",
])
def test_a_sum_for_counted_recipients_is_no_grant_but_its_giver_still_funds(second):
    pairs = _pairs("La Fondation Tilleul Doré soutient les associations.\n" + second + "\n")
    assert ("Fondation Tilleul Doré", 382000) not in pairs
    assert ("Fondation Tilleul Doré", None) in pairs


def test_as_many_amounts_as_counted_recipients_stay_grants():
    pairs = _pairs("La Fondation Orme Clair a soutenu 2 associations : elle a versé 3 000 € à l'atelier Vélo Vert "
                   "et 5 000 € à l'épicerie Panier Plein.\n")
    assert {("Fondation Orme Clair", 3000), ("Fondation Orme Clair", 5000)} & pairs



@pytest.mark.parametrize("text", [
    # a body named only by its level gives the grants said without a giver
    "Le Département au soutien de l'insertion\n"
    "La dernière séance a été tenue par le Conseil départemental.\n"
    "L'association Pont Neuf s'est vue attribuer 30 000 €.\n",
    # and a sum said "au total" is no grant of it
    "La dernière séance a été tenue par le Conseil départemental.\n"
    "Au total, plus de 3,6 millions d'euros ont ainsi été attribués.\n"
    "L'association Pont Neuf s'est vue attribuer 30 000 €.\n",
], ids=["level-body-gives", "sum-in-all-is-no-grant"])
def test_a_body_named_only_by_its_level_gives_the_grants_said_without_giver(text):
    assert _pairs(text) == {("Conseil départemental", 30000)}


def test_two_levels_named_say_no_giver():
    pairs = _pairs("La Région et le Département ont tenu séance.\n"
                   "L'association Pont Neuf s'est vue attribuer 30 000 €.\n")
    assert not any(v == 30000 for _, v in pairs)


def test_rows_of_a_list_of_grants_go_to_the_funder_before():
    pairs = _pairs("La Fondation Charme Vert a choisi ses projets de l'année.\n\n"
                   "Projet n°1 : Atelier Roue Libre, Brest - 8 000€\n\nUn atelier de vélos.\n\n"
                   "Projet n°2 : Épicerie Panier Plein, Rennes - 10 000€\n\nUne épicerie solidaire.\n")
    assert {("Fondation Charme Vert", 8000), ("Fondation Charme Vert", 10000)} <= pairs


def test_an_amount_alone_on_its_line_is_no_row():
    pairs = _pairs("La Fondation Charme Vert aide les ressourceries.\n\n182 940 euros\nAgence Exemple\n\n60 980 euros\nFonds Exemple\n")
    assert not {v for _, v in pairs} & {182940, 60980}


def test_a_cue_as_the_label_of_a_field():
    pairs = _pairs("La Fondation Charme Vert soutient l'atelier Roue Libre à Brest, qui répare des vélos.\n"
                   "♦ Subvention : 40 000 €\n")
    assert ("Fondation Charme Vert", 40000) in pairs


def test_a_sum_split_in_a_list_after_another_list():
    pairs = _pairs("L'atelier fait :\n- de la réparation ;\n- du réemploi.\n"
                   "L'atelier est accompagné par la Communauté de communes à raison de 12 000 € répartis ainsi :\n"
                   "- 8 000 € de participation à l'achat d'un camion, dont 2 000 € par le don d'un outil ;\n"
                   "- 3 000 € par an de participation au fonctionnement ;\n"
                   "- 1 000 € par an de prestations confiées à l'atelier.\n")
    assert pairs == {("Communauté de communes", 8000), ("Communauté de communes", 3000)}
