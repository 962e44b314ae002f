"""Document-level knowledge (extract/publisher.py), each with an invented page: the publisher of a
page (its URL) is the implied giver of the grants its page lists without naming a giver; an organ
of a collectivité ("la Commission permanente") stands for it; a bare "le Département" / "la Région"
the text never spells out is the publisher of that level, else the one the text names; a press
site is nobody's giver."""

from __future__ import annotations

import pytest

from maillage.extract.pipeline import extract_text
from maillage.extract.publisher import body_name, host_labels, publisher_of


def _pairs(text: str, url: str | None) -> set[tuple[str, float | None]]:
    draft = extract_text(text, "page.txt", link=False, url=url)
    names = {o.key: o.name for o in draft.organisations}
    return {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}


@pytest.mark.parametrize(("url", "names", "expected"), [
    ("https://www.fondation-tilleul.org/projets/12", ["Fondation Tilleul", "Groupe Tilleul"], "Fondation Tilleul"),
    ("https://agglo-val-dore.fr/?p=3", ["Agglo Val Doré", "Association Les Ormes"], "Agglo Val Doré"),
    ("https://www.lozere.fr/actualites/aides-2024", [], "Département de la Lozère"),
    ("https://www.haut-rhin.fr/x", [], "Département du Haut-Rhin"),
    ("https://deliberations.example.eu/id/cd32-2024-11/title/aides", [], "Département du Gers"),
    ("https://www.region-bretagne.fr/a", [], "Région Bretagne"),
    ("https://projets.occitanie.fr/aides/12", [], "Région Occitanie"),           # a subdomain of its site
    ("https://www.valdoreseine.fr/p", ["EPT Val Doré Seine"], "EPT Val Doré Seine"),  # the kind's acronym
])
def test_the_publisher_is_read_from_the_url(url, names, expected):
    pub = publisher_of(url, "", names)
    assert pub is not None and pub.name == expected and pub.gives


@pytest.mark.parametrize("url", ["https://www.bretagne-info.fr/article/12", "https://www.journal-du-coin.fr/a",
                                 None, "not a url at all", "https://"])
def test_a_press_site_or_no_url_has_no_publisher(url):
    assert publisher_of(url, "", ["Région Bretagne", "Fondation Tilleul"]) is None


def test_host_labels_drop_www_and_the_top_level_domain():
    assert host_labels("https://www.fondation.tilleul.com/fr/x")[0] == ["fondation", "tilleul"]


@pytest.mark.parametrize(("ref", "name"), [("dep:13", "Département des Bouches-du-Rhône"),
                                           ("dep:01", "Département de l'Ain"), ("dep:48", "Département de la Lozère"),
                                           ("dep:32", "Département du Gers"), ("reg:76", "Région Occitanie")])
def test_collectivite_names_take_their_article(ref, name):
    from maillage.loaders.territories import load_cog

    assert body_name(load_cog().get(ref)) == name


def test_a_grant_on_the_givers_own_page_is_the_publishers():
    text = ("Aide aux épiceries sociales\n"
            "Il vous est proposé d'attribuer une subvention de 12 000 € à l'épicerie Le Panier Vert, à Mende.\n")
    assert ("Département de la Lozère", 12000) in _pairs(text, "https://www.lozere.fr/deliberations/2024-3")
    # the same text on a press site: nobody gives it
    assert not _pairs(text, "https://www.journal-du-coin.fr/a")


def test_a_list_of_grants_on_the_givers_own_page_gives_one_funding_per_amount():
    text = ("Il vous est proposé d'accorder des subventions de fonctionnement aux associations suivantes : "
            "Atelier Ormeau pour un montant de 21 000 €, Cap Tilleul pour un montant de 8 500 € et "
            "Relais Saule pour un montant de 4 250 €, soit un total de 33 750 €.\n")
    pairs = _pairs(text, "https://www.gironde.fr/aides")
    assert {("Département de la Gironde", 21000), ("Département de la Gironde", 8500),
            ("Département de la Gironde", 4250)} <= pairs
    assert ("Département de la Gironde", 33750) not in pairs   # a total, not a grant


def test_an_aid_voted_or_attributed_without_a_giver_is_the_publishers():
    voted = "Les élus ont examiné 12 dossiers. Une aide de 7 250 € a été votée pour l'atelier Les Ormes.\n"
    assert ("Département de la Lozère", 7250) in _pairs(voted, "https://www.lozere.fr/actualites/x")
    box = ("L'atelier Les Ormes ouvre à Mende.\nAide départementale attribuée\n- Montant de l'aide : 9 300 €\n"
           "- Montant du projet : 41 000 € HT\n")
    pairs = _pairs(box, "https://www.lozere.fr/projets/y")
    assert ("Département de la Lozère", 9300) in pairs
    assert ("Département de la Lozère", 41000) not in pairs   # a cost before tax


def test_a_foundations_dotation_box_is_its_own():
    text = "Insertion et emploi\nLieu\nQuimper\nDotation\n15 000 € au comité du 3 mars\nPorteur du projet\nLes Ormes\n"
    assert ("Fondation Tilleul", 15000) in _pairs(text + "La Fondation Tilleul accompagne des projets.\n",
                                                   "https://www.fondation-tilleul.org/projets/12")


def test_the_commission_permanente_stands_for_its_collectivite():
    text = "La Commission permanente a attribué 6 000 € à la ressourcerie Le Grenier de Lure.\n"
    assert ("Département de la Gironde", 6000) in _pairs(text, "https://www.gironde.fr/a")


def test_a_bare_departement_is_the_one_the_text_names():
    text = ("L'association Les Ormes œuvre dans les Landes depuis 2010.\n"
            "Le Département a financé son atelier vélo à hauteur de 9 000 €.\n")
    assert ("Département des Landes", 9000) in _pairs(text, "https://www.journal-du-coin.fr/a")
