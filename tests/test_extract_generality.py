"""Generality of the extractor on shapes of real French documents (issue 13), each with an invented
sentence: amounts tied to their own funder, amounts whose payer is named elsewhere (a passive cue
after the amount, a bulleted list of winners), bodies listed in parentheses after a generic noun,
a slogan that names a foundation, a joint amount that the text also splits."""

from __future__ import annotations

import pytest

from maillage.extract.pipeline import extract_text


def _pairs(text: str) -> set[tuple[str, float | None]]:
    draft = extract_text(text, "d.txt", link=False)
    names = {o.key: o.name for o in draft.organisations}
    return {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}


@pytest.fixture(scope="module")
def reader():
    from maillage.extract.relations import RelationReader

    return RelationReader()


def test_each_amount_goes_to_the_body_after_it():
    pairs = _pairs("Le garage Roule Ma Poule a ouvert à Brive.\n"
                   "Ce projet a été soutenu à hauteur de 4 000 € par la Caisse locale de Tulle et de 25 000 € par "
                   "la Fondation Orme Rouge.\n")
    assert ("Caisse locale de Tulle", 4000) in pairs
    assert ("Fondation Orme Rouge", 25000) in pairs
    assert not any("25" in name for name, _ in pairs)  # "de 25 000 €" is no "Caisse locale de 25"


def test_pairs_read_in_a_later_sentence_reach_the_draft(reader):
    text = "Un atelier a ouvert.\nLa Fondation Saule et la Ville de Vitré ont versé respectivement 8 000 € et 3 000 €.\n"
    facts = [f for f in reader.facts(text) if f.pairs]
    assert facts and all(any(n is m for m in f.names) for f in facts for n, _ in f.pairs)
    assert {("Fondation Saule", 8000), ("Ville de Vitré", 3000)} <= _pairs(text)


def test_a_passive_cue_after_the_amount_gives_it_to_the_funder_before():
    pairs = _pairs("L'atelier Vélo Doux a ouvert à Lorient.\n"
                   "Grâce au soutien de la Région Bretagne, le local a été rénové. Dans le cadre du budget "
                   "participatif, 6 000 euros ont été attribués à l'association.\n")
    assert ("Région Bretagne", 6000) in pairs


def test_a_noun_after_the_amount_is_no_cue():
    pairs = _pairs("La Fondation Saule soutient l'épicerie Le Panier Bleu.\n"
                   "Au total, la Fondation Saule, c'est 900 000 euros de dons reçus depuis dix ans.\n")
    assert ("Fondation Saule", 900000) not in pairs


def test_the_items_of_a_list_of_winners_take_the_amount_of_their_line():
    text = ("La Fondation Orme Rouge dévoile ses lauréats\n"
            "La Fondation Orme Rouge a choisi quatre lauréats qui seront accompagnés trois ans.\n"
            "Les quatre lauréats :\n"
            "- Atelier Vélo Brestois (Brest), pour la mobilité et 150 000 euros ;\n"
            "- L'association Pain Partagé (Lyon), pour l'alimentation et 120 000 euros ;\n"
            "- Réseau Tisser (Paris) 90 000 euros\n")
    pairs = _pairs(text)
    assert {("Fondation Orme Rouge", 150000), ("Fondation Orme Rouge", 120000),
            ("Fondation Orme Rouge", 90000)} <= pairs


def test_a_bulleted_list_without_a_cue_gives_nothing():
    text = ("La Fondation Orme Rouge soutient l'épicerie Le Panier Bleu.\n"
            "Le budget de l'épicerie :\n"
            "- loyer et charges, 12 000 euros ;\n"
            "- salaires, 48 000 euros\n")
    assert not {a for _, a in _pairs(text)} & {12000, 48000}


def test_bodies_in_parentheses_after_a_generic_noun(reader):
    facts = reader.facts("Il a pu démarrer grâce à trois fondations qui l'ont aidé (Fondation Pivoine, Fondation "
                         "Hêtre et Caisse Solidaire Ondée), et ouvrir.")
    funders = {n.text for f in facts if f.relation == "funding" for n in f.names}
    assert {"Fondation Pivoine", "Fondation Hêtre", "Caisse Solidaire Ondée"} <= funders
    # a parenthesis after no kind of body lists nothing
    facts = reader.facts("Les donateurs bénéficient d'une réduction d'impôts (Roue Libre étant reconnue d'intérêt général).")
    assert not [n for f in facts if f.relation == "funding" for n in f.names if "Roue" in n.text]


def test_a_slogan_names_a_foundation():
    from maillage.extract.prose import read_name

    assert read_name("La Fondation La Ville s'engage a choisi", 0).text == "Fondation La Ville s'engage"
    assert read_name("La Région s'engage à payer", 0).text == "Région"


def test_a_joint_amount_split_by_the_text_is_dropped():
    pairs = _pairs("L'épicerie Le Panier Bleu a ouvert à Mers.\n"
                   "La Fondation Saule et la Caisse locale de Gamaches ont financé à hauteur de 40 000 euros le projet.\n"
                   "Il a été soutenu à hauteur de 5 000 € par la Caisse locale de Gamaches et de 35 000 € par la "
                   "Fondation Saule.\n")
    assert {("Fondation Saule", 35000), ("Caisse locale de Gamaches", 5000)} <= pairs
    assert ("Fondation Saule", 40000) not in pairs


def test_a_list_goes_on_after_the_parenthesis_of_a_generic_noun(reader):
    facts = reader.facts("Elle a réuni 60 000 € de subventions des collectivités (commune, communauté de communes du "
                         "Val Brun), de l'État (DDETS) et de la Fondation Pivoine, dont 40 % pour l'investissement.")
    funding = [f for f in facts if f.relation == "funding"]
    names = {n.text for f in funding for n in f.names}
    assert {"État (DDETS)", "Fondation Pivoine"} <= names
    assert all(a.value_eur == 60000 for f in funding for a in f.amounts)


def test_an_amount_on_the_line_after_its_cue():
    pairs = _pairs("La Fondation Saule soutient deux ateliers en Bretagne :\n"
                   "- l'Atelier Vert à Lorient répare des vélos. Le budget accordé est de\n"
                   "12 500 € pour l'achat d'outils.\n")
    assert ("Fondation Saule", 12500) in pairs


def test_a_person_gives_for_the_body_of_their_title(reader):
    facts = reader.facts("Vendredi, Marie Dupont, secrétaire générale de la Fondation Saule, a remis à l'association "
                         "un chèque de 25 000 €.")
    funding = [f for f in facts if f.relation == "funding"]
    assert {n.text for f in funding for n in f.names} == {"Fondation Saule"}
    assert [a.value_eur for f in funding for a in f.amounts] == [25000]


def test_a_bare_ccas_is_a_body():
    draft = extract_text("La Croix Blanche a ouvert une épicerie à Brest.\n"
                         "Lors de la crise, elle s'est engagée aux côtés du CCAS, pour gérer un point de distribution.\n",
                         "d.txt", link=False)
    names = {o.key: o.name for o in draft.organisations}
    assert "CCAS" in {names[p.partner] for p in draft.partnerships}
    draft = extract_text("Le CCAS de Morlaix gère une épicerie.\nL'épicerie travaille aux côtés du CCAS depuis 2015.\n",
                         "d.txt", link=False)
    assert "CCAS" not in {o.name for o in draft.organisations}  # the fuller name the document gives


def test_a_prize_list_whose_items_run_over_several_lines():
    """Each prize of a list whose items have lines of their own under them goes to the body that
    introduces the list ("La Fondation X récompense …" / "- 2e Prix – 8 000 €" / "Café Y / Gers" / …)."""
    from maillage.extract.loose import _list_cue

    text = ("La Fondation Orme récompense trois initiatives.\n\n- Le Trophée – 10 000 €\nAtelier Bleu / Tarn\n"
            "réparer des vélos.\n\n- 2e Prix – 8 000 €\nCafé Vert / Gers\n")
    assert _list_cue(text, text.index("- Le")) and _list_cue(text, text.index("- 2e"))
    assert not _list_cue("Nos tarifs.\n- Vélo - 100 €\n", len("Nos tarifs.\n"))
