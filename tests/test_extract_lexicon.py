"""The relation lexicon (extract/lexicon/relations.yaml): it loads, it is checked, and every entry
is exercised by a sentence written for this test (invented bodies and places, no corpus text):
the dependency reader finds the entry's relation and the body it names."""

from __future__ import annotations

import pytest

from maillage.extract.lexicon import LexiconError, load_lexicon, parse_entries, parse_phrase

# entry id -> (sentence, a body the entry must give as agent, amount expected or None)
EXAMPLES = {
    "financer": ("Le projet Rivebois est financé par la Fondation Lumbago.", "Fondation Lumbago", None),
    "soutenir-financierement": ("La Fondation Orvalie soutient financièrement l'atelier depuis deux ans.",
                                "Fondation Orvalie", None),
    "donner-de-l-argent": ("Le Département de la Creuse a versé 12 000 € à l'épicerie.", "Département de la Creuse", 12000),
    "doter": ("La Caisse d'épargne Vallée Haute a doté le garage de nouveaux outils.", "Caisse d'épargne Vallée Haute", None),
    "repondre-present-subventions": ("La Commune de Brelin et la Région Bretagne ont répondu présentes à travers "
                                     "l'attribution de subventions.", "Commune de Brelin", None),
    "participer-financement": ("La Fondation Marivaux participe au financement du camion.", "Fondation Marivaux", None),
    "avec-le-soutien-de": ("L'atelier a ouvert avec le soutien financier de la Fondation Tercel.", "Fondation Tercel", None),
    "grace-au-soutien-de": ("Le jardin a pu grandir grâce au soutien de la Fondation Amandier.", "Fondation Amandier", None),
    "grace-a": ("Grâce à la Fondation Pervenche, le financement du local est bouclé.", "Fondation Pervenche", None),
    "soutenu-par": ("C'est un chantier soutenu financièrement par la Région Normandie.", "Région Normandie", None),
    "laureat-appel": ("L'épicerie est lauréate de l'appel à projets Solidarité de la Fondation Cyprès.",
                      "Fondation Cyprès", None),
    "appel-a-projets-laureat": ("Nous avons répondu à l'appel à projets Horizon 2031, dont nous sommes lauréats.",
                                "Horizon 2031", None),
    "designer-laureats": ("La Fondation Aubier a dévoilé ses huit lauréats de l'année.", "Fondation Aubier", None),
    "recompenser": ("La Banque Coopérative Alizé vient de récompenser onze structures d'insertion.",
                    "Banque Coopérative Alizé", None),
    "sponsorise-par": ("Le prix de l'innovation, remis et sponsorisé par la Mutuelle Aubépine, est allé à l'atelier.",
                       "Mutuelle Aubépine", None),
    "decerner-prix": ("La Ville de Brelin a décerné ses trophées de l'économie solidaire à trois associations.",
                      "Ville de Brelin", None),
    "apporter-son-soutien": ("L'Union régionale Mosaïque a choisi d'apporter son soutien à l'atelier de Vitré.",
                             "Union régionale Mosaïque", None),
    "recompense-par": ("L'atelier a été récompensé par la Fondation Saule pour son camion.", "Fondation Saule", None),
    "dans-le-cadre-de": ("Le garage a été équipé dans le cadre du programme Mobilité de la Fondation Peuplier.",
                         "Fondation Peuplier", None),
    "subvention-de": ("L'association a obtenu une subvention de la Ville de Morlaix pour le local.", "Ville de Morlaix", None),
    "financeurs-liste": ("Les financeurs sont la Fondation Bergamote et la Caisse des dépôts.", "Fondation Bergamote", None),
    "beneficier-de": ("L'association bénéficie d'une aide de la Fondation Ormeau.", "Fondation Ormeau", None),
    "soutenir-a-hauteur": ("La Fondation Tamaris soutient l'atelier à hauteur de 15 000 € pour son camion.",
                           "Fondation Tamaris", 15000),
    "donner-une-subvention": ("La Communauté de communes du Val Brun a accordé une subvention à l'épicerie.",
                              "Communauté de communes du Val Brun", None),
    "recevoir-de": ("L'association Roulons Ensemble a reçu de la Fondation Myrtille un chèque de 8 000 euros.",
                    "Fondation Myrtille", 8000),
    "pret-aupres-de": ("Le garage a pu ouvrir grâce à des prêts auprès de la Banque Coopérative Alizé.",
                       "Banque Coopérative Alizé", None),
    "partenaire-financier": ("La Caisse Solidaire Ondée, partenaire financier du projet, suit l'atelier.",
                             "Caisse Solidaire Ondée", None),
    "travailler-ensemble": ("La Ville de Pontrieux et la Mission locale Trégor ont travaillé ensemble sur le projet.",
                            "Mission locale Trégor", None),
    "fait-partie-du-reseau": ("La recyclerie fait aussi partie du réseau Réemploi Vallée.", "réseau Réemploi Vallée", None),
    "mobiliser-missionner": ("La Communauté d'agglomération Sud a missionné l'Agence Coopérative Hélios.",
                             "Agence Coopérative Hélios", None),
    "faire-appel-a": ("L'association a fait appel à la Fabrique Coopérative Iris pour l'étude.",
                      "Fabrique Coopérative Iris", None),
    "impulse-par": ("C'est un chantier impulsé par l'Union régionale Azalée.", "Union régionale Azalée", None),
    "membres-fondateurs": ("Les membres fondateurs : le Secours Mutuel Orge, la Maison Commune Salix.",
                           "Maison Commune Salix", None),
    "soutenir": ("La Maison des Solidarités Orme soutient le projet de l'épicerie.", "Maison des Solidarités Orme", None),
    "financement-champ": ("Origine du financement : Fondation Mélèze – Région Centre, fonds propres.",
                          "Fondation Mélèze", None),
    "en-partenariat-avec": ("L'épicerie fonctionne en partenariat avec l'Entraide Brestoise.",
                            "Entraide Brestoise", None),
    "aux-cotes-de": ("Aux côtés de la Mission locale Pays Vert, l'association accueille des jeunes.",
                     "Mission locale Pays Vert", None),
    "a-leurs-cotes": ("Également à leurs côtés, la Direction régionale Nord et Pôle Avenir.", "Pôle Avenir", None),
    "s-associer-a": ("La Ressourcerie Lilas s'est associée à la Régie de quartier Bellevue.",
                     "Régie de quartier Bellevue", None),
    "co-piloter": ("Le CCAS de Plouzic co-pilote l'action avec la Ville de Plouzic.", "Ville de Plouzic", None),
    "collaborer": ("L'épicerie collabore avec la Banque alimentaire du Morvan.", "Banque alimentaire du Morvan", None),
    "mettre-a-disposition": ("La Mairie de Sorbiers met à disposition un local de 80 m².", "Mairie de Sorbiers", None),
    "orienter": ("Le Centre social Arlequin oriente les familles vers l'épicerie.", "Centre social Arlequin", None),
    "orientes-par": ("Les salariés, orientés par la Mission locale Cévenole, sont accompagnés un an.",
                     "Mission locale Cévenole", None),
    "cosignataire": ("La Fédération Ondine est cosignataire de la convention.", "Fédération Ondine", None),
    "membre-comite-pilotage": ("La Caisse Mutuelle Ardoise est membre du comité de pilotage.", "Caisse Mutuelle Ardoise", None),
    "partenaires-liste": ("Ses partenaires sont la Ville de Tulle et le Collectif Brindille.", "Collectif Brindille", None),
    "partenariat-avec": ("Un partenariat noué avec la Maison de l'emploi Vallée Bleue permet de recruter.",
                         "Maison de l'emploi Vallée Bleue", None),
    "copilote-par": ("La Cité de l'emploi est copilotée par la Préfecture de la Corrèze et la Ville de Tulle.",
                     "Ville de Tulle", None),
    "comite-reunissant": ("Un comité de pilotage réunissant l'association Génévrier, la Chambre d'agriculture et la Ville "
                          "de Laval a été créé.", "Ville de Laval", None),
    "heberge-conventionne-par": ("L'association, hébergée par la Mission locale Vallée Verte, a recruté.",
                                 "Mission locale Vallée Verte", None),
    "recuperer-aupres-de": ("Les denrées sont récupérées auprès de la Banque alimentaire du Morvan.",
                            "Banque alimentaire du Morvan", None),
    "etre-partenaire": ("La Maison Commune Salix est partenaire du projet depuis 2019.", "Maison Commune Salix", None),
    "soutien-non-financier": ("L'action est accompagnée par la Chambre des métiers de la Lozère.",
                              "Chambre des métiers de la Lozère", None),
    "reseau-membre": ("L'épicerie est membre du réseau Andes depuis 2015.", "Andes", None),
    "avec-l-appui-de": ("Le chantier a démarré avec l'appui de l'Union régionale Mosaïque.", "Union régionale Mosaïque", None),
    "porte-par": ("Le garage solidaire est porté par l'association Roue Libre Vendée.", "Roue Libre Vendée", None),
    "porter": ("L'association Trèfle Vert porte le projet depuis 2019.", "Trèfle Vert", None),
    "a-l-initiative-de": ("À l'initiative de la Ville de Quimperlé, un atelier vélo a ouvert.", "Ville de Quimperlé", None),
}


def test_lexicon_loads_and_every_entry_is_commented():
    entries = load_lexicon()
    assert len(entries) >= 30
    assert all(e.comment.strip() for e in entries)
    assert {e.relation for e in entries} == {"funding", "partnership", "pilot"}


def test_every_entry_has_an_example_here():
    assert {e.id for e in load_lexicon()} == set(EXAMPLES)


@pytest.fixture(scope="module")
def reader():
    from maillage.extract.relations import RelationReader

    return RelationReader()


@pytest.mark.parametrize("entry_id", sorted(EXAMPLES))
def test_each_entry_reads_its_example(reader, entry_id):
    sentence, body, amount = EXAMPLES[entry_id]
    entry = next(e for e in load_lexicon() if e.id == entry_id)
    facts = [f for f in reader.facts(sentence) if f.entry == entry_id]
    assert facts, f"{entry_id} did not fire on {sentence!r}"
    names = [n.text for f in facts for n in f.names]
    assert any(body in n or n in body and len(n) > 3 for n in names), (entry_id, names)
    assert all(f.relation == entry.relation and f.role == entry.role for f in facts)
    if amount is not None:
        assert any(a.value_eur == amount for f in facts for a in f.amounts), facts


def test_a_coordinated_list_gives_one_body_each(reader):
    facts = reader.facts("Le camion est financé par la Fondation Lierre, la Région Centre et la Ville de Blois.")
    names = {n.text for f in facts for n in f.names}
    assert {"Fondation Lierre", "Région Centre", "Ville de Blois"} <= names


def test_amounts_go_to_their_funder_in_order(reader):
    facts = reader.facts("La Fondation Saule et la Ville de Vitré ont versé respectivement 8 000 € et 3 000 €.")
    pairs = {(n.text, a.value_eur) for f in facts for n, a in f.pairs}
    assert pairs == {("Fondation Saule", 8000), ("Ville de Vitré", 3000)}


def test_a_total_cost_is_no_funding_amount(reader):
    facts = reader.facts("Le budget total de 90 000 € est financé par la Fondation Noyer.")
    assert facts and all(not f.amounts for f in facts)


def test_phrase_syntax():
    assert parse_phrase("avec le|l' soutien financier? de") == (
        (frozenset({"avec"}), False), (frozenset({"le", "l'"}), False), (frozenset({"soutien"}), False),
        (frozenset({"financier"}), True), (frozenset({"de"}), False))


@pytest.mark.parametrize("data, message", [
    ({}, "entries"),
    ({"entries": [{"id": "x", "comment": "c", "relation": "funding"}]}, "exactly one of"),
    ({"entries": [{"id": "x", "comment": "c", "relation": "gift", "verb": ["donner"]}]}, "relation must be"),
    ({"entries": [{"id": "x", "comment": "", "relation": "funding", "verb": ["donner"]}]}, "`comment` is required"),
    ({"entries": [{"id": "x", "comment": "c", "relation": "funding", "verb": ["a"]},
                  {"id": "x", "comment": "c", "relation": "funding", "verb": ["b"]}]}, "duplicate id"),
    ({"entries": [{"id": "x", "comment": "c", "relation": "funding", "phrase": "a?"}]}, "not optional"),
    ({"entries": [{"id": "x", "comment": "c", "relation": "funding", "verb": ["a"], "colour": 1}]}, "unknown key"),
    ({"entries": [{"id": "x", "comment": "c", "relation": "partnership", "role": "ami", "verb": ["a"]}]}, "unknown role"),
])
def test_a_malformed_lexicon_is_refused_with_the_entry(data, message):
    with pytest.raises(LexiconError, match=message):
        parse_entries(data, "test.yaml")


def test_a_foundation_s_support_is_a_funding_and_a_local_body_s_a_partnership(reader):
    # (a city's support is a funding since the night round: public_funder_heads, measured on the real gold)
    facts = reader.facts("L'épicerie est soutenue par la Fondation Bouleau et par la Maison de quartier de Lannion.")
    by_relation = {(f.relation, n.text) for f in facts for n in f.names}
    assert ("funding", "Fondation Bouleau") in by_relation
    assert ("partnership", "Maison de quartier de Lannion") in by_relation
    assert ("funding", "Maison de quartier de Lannion") not in by_relation


def test_an_amount_for_several_counted_structures_is_a_total(reader):
    facts = reader.facts("La Fondation Chêne Vert soutient six structures d'insertion à hauteur de 60 000 €.")
    funders = [f for f in facts if f.relation == "funding"]
    assert funders and all(not f.amounts for f in funders)


def test_hoped_for_funders_are_no_funders(reader):
    facts = reader.facts("L'étude réunit les financeurs potentiels et la Région Bourgogne.")
    assert not [f for f in facts if f.relation == "funding"]


def test_a_person_is_no_body(reader):
    facts = reader.facts("Ces locaux appartiennent à Jean Dubois, qui les met à disposition de l'association.")
    assert not [n for f in facts for n in f.names if "Dubois" in n.text]


def test_a_coordinated_participle_shares_the_first_verb_s_subject(reader):
    facts = reader.facts("La Fondation Aubépine a sélectionné et soutenu le projet de garage.")
    assert ("funding", "Fondation Aubépine") in {(f.relation, n.text) for f in facts for n in f.names}


def test_an_amount_given_without_a_payer_goes_to_the_funder_named_before():
    from maillage.extract.lexicon import load_word_list
    from maillage.extract.pipeline import extract_text

    assert {"accordé", "subvention"} <= load_word_list("money_cues")
    assert {"total", "coût"} <= load_word_list("not_given")
    text = ("La Fondation Genêt soutient l'association Les Ateliers du Pré, à hauteur de son projet.\n"
            "Le budget accordé est de 9 000 € pour l'achat d'un véhicule.\n"
            "Le coût total accordé au chantier atteint 90 000 €.\n")
    draft = extract_text(text, "d.txt", link=False)
    names = {o.key: o.name for o in draft.organisations}
    pairs = {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}
    assert ("Fondation Genêt", 9000) in pairs
    assert not any(a == 90000 for _, a in pairs)


def test_a_role_noun_with_its_bodies_in_parentheses(reader):
    facts = reader.facts("L'engagement des trois financeurs (la Fondation Frêne, la Région Bretagne et l'État) est clarifié.")
    funders = {n.text for f in facts if f.relation == "funding" for n in f.names}
    assert {"Fondation Frêne", "Région Bretagne", "État"} <= funders


def test_a_fiche_s_sentences_add_partners_and_its_fields_keep_the_funders():
    from maillage.extract.pipeline import extract_text

    text = ("Pilote : Association Les Ateliers du Lac\nFinanceurs : Fondation Cèdre\nLieu : Annecy\n\n"
            "L'atelier travaille en partenariat avec la Mission locale du Genevois. "
            "Il est aussi soutenu financièrement par la Banque Coopérative Saule.\n")
    draft = extract_text(text, "f.txt", "fiche", link=False)
    names = {o.key: o.name for o in draft.organisations}
    partners = {names[p.partner] for p in draft.partnerships}
    funders = {names[k] for f in draft.fundings for k in f.funders}
    assert "Mission locale du Genevois" in partners
    assert "Fondation Cèdre" in funders


def test_a_scheme_s_giver_comes_after_de(reader):
    """A prize or a call is no body: the body after its "de" gives ("lauréats du Prix 2019 de la
    Fondation X", "l'appel à projets « Y » de la Région Z"); its year stays in the call's name."""
    facts = reader.facts("Voici les six lauréats du Prix 2019 de la Fondation Vert-Galant !")
    assert [n.text for f in facts for n in f.names] == ["Fondation Vert-Galant"]
    facts = reader.facts("L'atelier est lauréat de l'appel à projets « Bouger » de la Région Normandie.")
    assert {n.text for f in facts for n in f.names} == {"Région Normandie"}


def test_a_programme_after_an_adjective_and_a_handed_sum(reader):
    facts = reader.facts("Il a été lancé dans le cadre du nouveau programme 2021-2027 du Fonds social européen (FSE).")
    assert any("Fonds social européen" in n.text for f in facts for n in f.names)
    facts = reader.facts("La Fondation Alpaga leur remettra 3 000 euros pour leur action.")
    assert any(n.text == "Fondation Alpaga" and [a.value_eur for a in f.amounts] == [3000] for f in facts for n in f.names)


def test_a_bare_departement_subject_is_a_body_and_a_heading_word_is_not(reader):
    from maillage.extract.syntax import scheme_only

    facts = reader.facts("Chaque année, le Département accorde des subventions aux structures.")
    assert [n.text for f in facts for n in f.names] == ["Département"]
    assert scheme_only("Prix 2016") and scheme_only("2 ème Prix") and scheme_only("INVESTISSEMENT")
    assert scheme_only("Aide") and not scheme_only("Dotation au Développement Rural") and not scheme_only("ADEME")
    assert not reader.facts("SUBVENTIONS D'INVESTISSEMENT")


def test_a_quoted_call_and_who_launched_it(reader):
    """A call's quoted name is read whole when no body gives it; who launched it ("lancé … par A")
    is not said to pay."""
    facts = reader.facts("Nous sommes lauréats de l'appel à projets « Essor & Vallée ».")
    assert [n.text for f in facts if f.entry == "appel-a-projets-laureat" for n in f.names] == ["Essor & Vallée"]
    facts = reader.facts("Lauréat de l'appel à projets « Essor & Vallée » lancé en mars 2021 par la MSA et Tremplin "
                         "Emploi, l'atelier sillonne les routes.")
    assert not [f for f in facts if f.entry == "appel-a-projets-laureat"]


def test_a_public_funder_s_support_is_a_funding_with_public_funds_entries(reader):
    from maillage.extract.lexicon import load_lexicon, load_word_list

    assert {"région", "état"} <= load_word_list("public_funder_heads")
    assert {e.id for e in load_lexicon() if e.public_funds} == {"soutenir", "avec-l-appui-de", "apporter-son-soutien"}
    facts = reader.facts("La Région Bretagne soutient le projet de l'épicerie depuis 2020.")
    assert ("funding", "Région Bretagne") in {(f.relation, n.text) for f in facts for n in f.names}
    facts = reader.facts("Le chantier a démarré avec l'appui de l'État et de l'Union régionale Mosaïque.")
    got = {(f.relation, n.text) for f in facts for n in f.names}
    assert ("funding", "État") in got and ("partnership", "Union régionale Mosaïque") in got
    with pytest.raises(LexiconError, match="public_funds"):
        parse_entries({"entries": [{"id": "x", "comment": "c", "relation": "funding", "verb": ["a"],
                                    "public_funds": True}]}, "test.yaml")



def test_a_foundation_that_brings_its_support_funds_and_concertation_is_a_partnership(reader):
    facts = reader.facts("La Fondation Mélèze a choisi d'apporter son soutien à l'atelier de Vitré.")
    assert ("funding", "Fondation Mélèze") in {(f.relation, n.text) for f in facts for n in f.names}
    facts = reader.facts("Le garage a été conçu en concertation avec la Fédération Tilleul des écoles de production.")
    assert any(f.entry == "en-partenariat-avec" and n.text.startswith("Fédération Tilleul") for f in facts for n in f.names)
