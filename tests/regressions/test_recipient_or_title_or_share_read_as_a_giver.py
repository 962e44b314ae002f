"""Regression: names read wrongly around a grant gave spurious funders and wrongly tied amounts.
Invented sentences.

- the recipient's name after the amount was read as its giver ("une subvention de 5 000 euros est
  octroyée aux Ateliers du Marais" gave "Marais" as funder, and later amounts went to it);
- "par le biais d'une convention signée entre X et Y" made Y a funder;
- a share glued to a name ("la CAF de 50 %" read "CAF de 50");
- a person's title read as a body ("le Président de la Caisse locale" as partner);
- a capital after an elided article was no mention for the classifier ("l'Avise", "l'ANCT");
- "Département du Deux-Sèvres" (the article of a plural name starting with "Deux")."""

from __future__ import annotations

import pytest

from maillage.extract.pipeline import extract_text
from maillage.extract.prose import read_name


def _funders(text):
    d = extract_text(text, "d.txt", link=False)
    names = {o.key: o.name for o in d.organisations}
    return {names[k] for f in d.fundings for k in f.funders}


@pytest.mark.parametrize("text", [
    "Dans le Bocage, une subvention de 5 000 euros est octroyée aux Ateliers du Marais pour le covoiturage.\n",
    "- Subvention de 15 000 € pour soutenir le démarrage du garage-école du Mans\n",
    "Une subvention de 9 000 € a été attribuée au projet, par le biais d'une convention signée entre "
    "la Présidente de l'Union Tilleul et le Garage Solidaire du Mans.\n",
])
def test_the_recipient_is_no_giver(text):
    assert not {n for n in _funders(text) if "Mans" in n or "Marais" in n or "Garage" in n}


@pytest.mark.parametrize(("text", "name"), [
    ("la CAF de 50 % pour le fonctionnement", "CAF"),
    ("la Fondation Saule de 30 pour cent du coût", "Fondation Saule"),
    ("la Maison de quartier 13 Habitat", "Maison de quartier 13 Habitat"),   # a number in a name stays
])
def test_a_share_is_not_part_of_the_name(text, name):
    assert read_name(text, 0).text == name


@pytest.mark.parametrize("text", ["le Président de la Caisse locale", "la Directrice du Centre social Tilleul",
                                  "le Maire de Vitré"])
def test_a_person_s_title_is_no_body(text):
    assert read_name(text, 0) is None


def test_a_capital_after_an_elided_article_is_a_mention():
    from maillage.extract.mentions import analyse

    _, mentions = analyse("Tout commence quand l'Arvelle lance le dispositif avec l'ANSOL et d'Emmaüs Vitré.")
    assert {"Arvelle", "ANSOL", "Emmaüs Vitré"} <= {m.text for m in mentions}


def test_deux_sevres_takes_des():
    from maillage.extract.publisher import body_name
    from maillage.loaders.territories import load_cog

    assert body_name(load_cog().get("dep:79")) == "Département des Deux-Sèvres"
