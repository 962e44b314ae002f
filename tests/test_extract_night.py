"""General mechanisms of the night round (branch extract5), each on invented sentences (invented
bodies and places, no text of the real documents): amounts given with no giver go to the funder
named before; a bare "le Département" takes the Département the page's address names; an amount
for several recipients, a bound of a range or a whole that a body pays a share of is no body's
grant; a field heading whose last word says the role lists its bodies; the lexicon's new money cues."""

from __future__ import annotations

import pytest

from maillage.extract.pipeline import extract_text


def _pairs(draft):
    names = {o.key: o.name for o in draft.organisations}
    return {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}


def test_grants_given_with_no_giver_go_to_the_funder_named_before():
    text = ("La Fondation Genévrier a décidé de soutenir trois ateliers de réparation de vélos.\n"
            "Sur le Vallon, 6 400 euros sont attribués à l'association Roues Libres pour son local, "
            "et une subvention de 3 000 euros est octroyée aux Ateliers du Marais.\n"
            "Pour le plateau, 9 500 euros sont dédiés à la Maison de l'emploi de Brelin.\n")
    pairs = _pairs(extract_text(text, "d.txt", link=False))
    assert {("Fondation Genévrier", 6400), ("Fondation Genévrier", 3000), ("Fondation Genévrier", 9500)} <= pairs
    assert not any("Marais" in n for n, _ in pairs)   # the recipient is no giver


def test_a_bare_departement_takes_the_one_the_page_address_names():
    from maillage.extract.publisher import path_territory

    assert path_territory("https://journal.example/cantal-aides-mobilite", "departement") == "Département du Cantal"
    assert path_territory("https://journal.example/deux-sevres-velos", "departement") == "Département des Deux-Sèvres"
    assert path_territory("https://journal.example/cantal-et-lozere", "departement") is None   # two: unsaid
    assert path_territory("https://journal.example/aides-mobilite", "departement") is None
    text = ("Le Département a décidé d'allouer une aide de 40 000 euros en faveur des structures de mobilité.\n"
            "12 000 euros sont attribués à l'association Roues Libres pour ses scooters.\n")
    draft = extract_text(text, "d.txt", link=False, url="https://journal.example/cantal-aides-mobilite")
    pairs = _pairs(draft)
    assert ("Département du Cantal", 12000) in pairs
    assert not any(a == 40000 for _, a in pairs)   # a total for several structures


@pytest.mark.parametrize(("sentence", "body"), [
    ("Les 40 000 euros de l'enveloppe sont cofinancés à 50 % par la Région Bretagne.", "Région Bretagne"),
    ("La Région Bretagne finance les tiers-lieux à hauteur de 20 000 à 60 000 euros sur trois ans.", "Région Bretagne"),
    ("La Région Bretagne accorde entre 5 000 et 8 000 euros à chaque atelier de la ville.", "Région Bretagne"),
    ("Le budget de 90 000 € a reçu une aide au financement de la Fondation Orme de 40 % pour le local.", "Fondation Orme"),
])
def test_a_range_or_a_whole_shared_is_not_the_body_s_grant(sentence, body):
    pairs = _pairs(extract_text("L'atelier Les Ormes répare des vélos à Vitré.\n" + sentence + "\n", "d.txt", link=False))
    assert any(n == body for n, _ in pairs)
    assert not [a for n, a in pairs if n == body and a is not None]


def test_a_field_heading_ending_with_its_role_word_lists_bodies():
    import yaml

    from maillage.extract.heading_lists import heading_facts
    from maillage.extract.lexicon import HERE

    ends = yaml.safe_load((HERE / "relations.yaml").read_text(encoding="utf-8"))["list_heading_ends"]
    text = ("Origine et spécificités du financement : Pour la première année. Fondation Tilleul, Ville de Vitré, "
            "fondations : Amandier\n\nPrincipaux partenaires : la Mission locale de Vitré et le CCAS de Vitré\n")
    facts = heading_facts(text)
    assert [n.text for f in facts if f.relation == "funding" for n in f.names] == [
        "Fondation Tilleul", "Ville de Vitré", "Amandier"]
    assert [n.text for f in facts if f.relation == "partnership" for n in f.names] == [
        "Mission locale de Vitré", "CCAS de Vitré"]
    for word, relation in ends.items():   # every end word of the lexicon reads a list
        got = heading_facts(f"Notre liste des {word} : Fondation Tilleul et Ville de Vitré\n")
        assert [n.text for f in got for n in f.names] == ["Fondation Tilleul", "Ville de Vitré"], word
        assert got[0].relation == relation
    assert not heading_facts("Le financement : il reste à trouver.\n")


@pytest.mark.parametrize("cue", ["dédiés", "remettre"])
def test_new_money_cues_give_a_loose_amount_to_the_funder_before(cue):
    from maillage.extract.lexicon import load_word_list

    assert cue in load_word_list("money_cues")
    verb = "sont dédiés au local" if cue == "dédiés" else "ont été remis à l'atelier"
    lead = "s'est vu remettre" if cue == "remettre" else "reçoit"
    text = ("La Fondation Sorbier soutient les épiceries du quartier depuis 2019.\n"
            f"L'épicerie Le Panier {lead} 7 000 euros cette année.\n" if cue == "remettre" else
            "La Fondation Sorbier soutient les épiceries du quartier depuis 2019.\n"
            f"Cette année, 7 000 euros {verb}.\n")
    assert ("Fondation Sorbier", 7000) in _pairs(extract_text(text, "d.txt", link=False))


def test_a_foundation_s_own_site_publishes_when_the_text_says_only_la_fondation():
    from maillage.extract.publisher import publisher_of

    text = "Cette année, la Fondation soutient trois ateliers de Vitré.\n"
    pub = publisher_of("https://www.fondationtilleul.org/actions/ateliers", text, [])
    assert pub is not None and pub.name == "Fondation Tilleul" and pub.gives
    assert publisher_of("https://fondation-aide.tilleul.com/x", text, []) is None   # which words name it: unsaid
    assert publisher_of("https://www.fondationtilleul.org/x", "La Fondation Orme soutient.\n", []) is None
    # its page's grants with no giver named are its own
    draft = extract_text(text + "5 000 euros ont été attribués à l'atelier Les Ormes.\n", "d.txt", link=False,
                         url="https://www.fondationtilleul.org/actions/ateliers")
    assert ("Fondation Tilleul", 5000) in _pairs(draft)


def test_the_classifier_trains_on_blind7_and_never_on_blind8():
    import inspect

    from maillage.extract import train

    src = inspect.getsource(train.main)
    assert '"blind7")]' in src and '"blind8"' not in src
