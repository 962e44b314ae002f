"""The prose reader: organisation names after trigger phrases, fundings paired with their
amounts, partners, clients, pilots and initiatives, spans that point back to the text, and
texts cut into pieces for spaCy. Sentences here are written for the tests (general French), not
taken from the corpus."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from maillage.extract.amounts import find_amounts
from maillage.extract.model import Draft
from maillage.extract.prose import ProseReader, pieces, read_list, read_name


@pytest.fixture(scope="module")
def reader() -> ProseReader:
    return ProseReader()


def names(found) -> list[str]:
    return [n.text for n in found]


def org_names(draft: Draft, keys) -> set[str]:
    by_key = {o.key: o.name for o in draft.organisations}
    return {by_key[k] for k in keys}


def funders(draft: Draft) -> dict:
    """{amount or None: set of funder names}"""
    out: dict = {}
    for f in draft.fundings:
        out.setdefault(f.amount_eur, set()).update(org_names(draft, f.funders))
    return out


def partners(draft: Draft, role: str | None = None) -> set[str]:
    return org_names(draft, [p.partner for p in draft.partnerships if role is None or p.role == role])


# ---------------------------------------------------------------- names

def test_name_after_article_and_lower_case_head():
    assert names(read_list("la région Bretagne, toujours", 0)) == ["région Bretagne"]
    assert names(read_list("du Lions club de Quimper au titre", 0)) == ["Lions club de Quimper"]
    assert names(read_list("le département du Cher et la Caisse d'allocations familiales.", 0)) == \
        ["département du Cher", "Caisse d'allocations familiales"]


def test_list_of_names_with_articles_and_a_parenthesised_acronym():
    found = names(read_list("de l'Agence régionale de santé (ARS), de la Fondation Nova et du Crédit Coopératif.", 0))
    assert found == ["Agence régionale de santé (ARS)", "Fondation Nova", "Crédit Coopératif"]


def test_regression_article_les_is_not_read_as_le():
    # "les FIPD" was read as "le" + "s FIPD", and no name came out
    assert names(read_list("les FIPD du 22 et du 29 et le Fonds social européen pour", 0)) == \
        ["FIPD du 22", "FIPD du 29", "Fonds social européen"]


def test_regression_article_after_a_comma_in_a_list():
    # the articles pattern was anchored at the start of the string: items after the first were lost
    assert names(read_list("l'URSSAF, la Ville de Dax et la Poste.", 0)) == ["URSSAF", "Ville de Dax", "Poste"]


def test_list_stops_at_the_subject_of_the_next_clause():
    assert names(read_list("de la Région et de la Préfecture, Solid'Aide a pu embaucher", 0)) == ["Région", "Préfecture"]


def test_lower_case_items_of_a_list_are_skipped():
    assert names(read_list("des communes voisines et du Conseil départemental.", 0)) == ["Conseil départemental"]


def test_regression_full_stop_after_an_elided_name_is_not_in_it():
    # "l'Aveyron." kept its full stop once elisions were split before the stop was removed
    assert names(read_list("le Département de l'Aveyron.", 0)) == ["Département de l'Aveyron"]
    assert names(read_list("l'E.B.E. et la CAF.", 0)) == ["E.B.E.", "CAF"]


def test_no_name_where_there_is_none():
    assert read_name("un partenariat fort entre", 0) is None
    assert read_name("plusieurs acteurs locaux", 0) is None
    assert read_name("Communes, et", 0) is None


@given(st.text(alphabet=st.sampled_from(list("aAbBéÉ dlL'’-,.()0123 et du de la")), max_size=80))
def test_read_list_never_fails_and_spans_are_in_the_text(s):
    for n in read_list(s, 0):
        assert 0 <= n.start < n.end <= len(s)


# ---------------------------------------------------------------- pieces for spaCy

@given(st.text(alphabet=st.sampled_from(list("ab. \n!?")), max_size=400), st.integers(min_value=5, max_value=60))
def test_pieces_cover_every_line_within_the_limit(text, limit):
    got = list(pieces(text, limit))
    for off, piece in got:
        assert text[off:off + len(piece)] == piece
        assert len(piece) <= limit
        assert "\n" not in piece
    covered = "".join(p for _, p in got)
    assert covered.replace(" ", "") == "".join(text.split("\n")).replace(" ", "").replace("\n", "")


def test_long_line_is_read_in_pieces_with_exact_spans():
    filler = "Le chantier avance bien. " * 400
    text = filler + "Le projet est financé par la Fondation Orion. " + filler
    r = ProseReader(piece_chars=2_000)
    d = r.read(text, "long.txt")
    orion = [o for o in d.organisations if o.name == "Fondation Orion"]
    assert orion and all(text[a:b] == "Fondation Orion" for a, b in orion[0].spans)


_WORDS = ["la", "Région", "Bretagne", "subvention", "de", "12 000 €", "accordée", "par", "Fondation",
          "Nova", "en", "partenariat", "avec", "l'association", "Les Amis", "et", ",", ".", "\n",
          "porté", "le projet", "« Jardin »", "clients", ":", "(ARS)", "membre", "du réseau", "Dotation"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=60))
def test_reader_never_fails_and_every_span_is_in_the_text(reader, words):
    text = " ".join(words)
    d = reader.read(text, "p.txt")
    keys = {o.key for o in d.organisations}
    for o in d.organisations:
        assert all(0 <= a < b <= len(text) for a, b in o.spans)
    for f in d.fundings:
        assert set(f.funders) <= keys and all(0 <= a < b <= len(text) for a, b in f.spans)
    for p in d.partnerships:
        assert p.partner in keys and p.initiative in {i.key for i in d.initiatives}


def test_regression_partner_without_any_initiative_is_left_out_with_a_warning(reader):
    # found by the property test: a text whose title cannot name an initiative crashed
    d = reader.read(", porté par Région", "p.txt")
    assert d.initiatives == [] and d.partnerships == []
    assert any("no initiative" in w for w in d.warnings)


# ---------------------------------------------------------------- relations

def test_subvention_accordee_par(reader):
    d = reader.read("Une subvention de 12 000 € a été accordée par le département du Cher.", "t.txt")
    assert funders(d) == {12000.0: {"département du Cher"}}


def test_aides_paired_with_the_nearest_amount(reader):
    text = ("L'atelier a bénéficié d'une aide de 5 000 € de la Fondation Arbre, et d'une aide de "
            "3 000 € du Crédit Agricole de la Somme.")
    assert funders(reader.read(text, "t.txt")) == {5000.0: {"Fondation Arbre"}, 3000.0: {"Crédit Agricole de la Somme"}}


def test_joint_funders_of_one_amount(reader):
    text = "Le projet a reçu 40 000 € de subventions sur deux ans, de l'État et de la CAF au titre du fonctionnement."
    assert funders(reader.read(text, "t.txt")) == {40000.0: {"État", "CAF"}}


def test_soutien_without_amount_and_bare_region_resolved(reader):
    text = ("La Région Occitanie soutient la filière. Avec le soutien de la Région et de la "
            "Fondation Lumen, l'épicerie a ouvert.")
    d = reader.read(text, "t.txt")
    assert funders(d) == {None: {"Région Occitanie", "Fondation Lumen"}}


def test_cofinanced_by_groups_after_a_colon(reader):
    text = ("L'action est cofinancée par plusieurs acteurs : des fournisseurs (Enercoop et Engie), "
            "des collectivités (Ville de Pau, Département des Landes) et des mutuelles (Harmonie Mutuelle).")
    assert funders(reader.read(text, "t.txt"))[None] == {"Enercoop", "Engie", "Ville de Pau", "Département des Landes",
                                                         "Harmonie Mutuelle"}


def test_financed_up_to_amounts_by_two_funders(reader):
    text = ("Le garage « Roue Libre » a été lancé en 2020 par l'association Mobil'Aide. Il a été financé à "
            "hauteur de 50 000 € par l'ADEME et de 20 000 € par la Banque des Territoires.")
    d = reader.read(text, "t.txt")
    assert funders(d) == {50000.0: {"ADEME"}, 20000.0: {"Banque des Territoires"}}
    assert org_names(d, d.initiatives[0].pilots) == {"Mobil'Aide"}


def test_prize_of_a_foundation_with_its_endowment(reader):
    text = "Le projet « Roue Libre » est lauréat du prix « Mobilité pour tous » de la Fondation Alpha en 2022, doté de 15 000 €."
    assert funders(reader.read(text, "t.txt")) == {15000.0: {"Fondation Alpha"}}


def test_regression_a_number_after_a_verb_is_not_part_of_the_name(reader):
    # "La CAF des Landes finance 30 %" was read as one name "CAF des Landes finance 30"
    d = reader.read("Le projet « Roue Libre » avance. La CAF des Landes finance 30 % du fonctionnement.", "t.txt")
    assert funders(d) == {None: {"CAF des Landes"}}


def test_call_for_projects_launcher_is_not_a_pilot_nor_a_funder(reader):
    text = "Lauréat de l'appel à projets « Terres vives » lancé par la Fondation Zeta, le jardin a ouvert."
    d = reader.read(text, "t.txt")
    assert not d.fundings
    assert all(not i.pilots for i in d.initiatives)


def test_partners_clients_and_pilot(reader):
    text = ("Le projet « Bois d'ici » est porté par l'association Racines. Il est mené en partenariat "
            "avec la Ligue de l'enseignement et le Lycée Jean Moulin. L'équipe travaille pour le compte "
            "de la Ville de Brest.")
    d = reader.read(text, "t.txt")
    assert [i.name for i in d.initiatives] == ["Bois d'ici"]
    assert org_names(d, d.initiatives[0].pilots) == {"Racines"}
    assert partners(d, "partenaire") == {"Ligue de l'enseignement", "Lycée Jean Moulin"}
    assert partners(d, "client") == {"Ville de Brest"}
    assert all(p.initiative == d.initiatives[0].key for p in d.partnerships)


def test_clients_listed_after_a_colon(reader):
    d = reader.read("Nos principaux clients sont : la SNCF, Decathlon et l'hôpital de Bayonne.", "t.txt")
    assert {"SNCF", "Decathlon"} <= partners(d, "client")


def test_membre_du_reseau(reader):
    d = reader.read("Le projet « Vélo pour tous » avance. La structure est membre du réseau Tissons.", "t.txt")
    assert partners(d, "reseau") == {"réseau Tissons"}


def test_every_span_points_to_its_name(reader):
    text = ("Le dispositif « Cap Emploi Rural » est piloté par la Mission locale du Ségala. "
            "Il est financé par la Fondation Iris et par le Département de l'Aveyron.")
    d = reader.read(text, "t.txt")
    for o in d.organisations:
        for a, b in o.spans:
            assert text[a:b] in (o.name, "Région")
    for f in d.fundings:
        assert all(0 <= a < b <= len(text) for a, b in f.spans)
        assert 0 < f.confidence <= 1


def test_generic_council_is_the_department_named_just_before(reader):
    text = ("Dans le Gers, l'épicerie Le Panier ouvre en 2021. Le poste est pérennisé grâce aux "
            "soutiens financiers des communes voisines et du Conseil départemental.")
    d = reader.read(text, "t.txt")
    funded = [o for o in d.organisations if o.key in {k for f in d.fundings for k in f.funders}]
    assert [o.territory for o in funded] == ["dep:32"]
    assert "Gers" in funded[0].name


def test_quoted_name_after_a_kind_word(reader):
    d = reader.read("Le projet « Vélo pour tous » avance. L'atelier est membre du réseau national « Tissons la laine ».", "t.txt")
    assert partners(d, "reseau") == {"Tissons la laine"}


def test_territorial_body_names_keep_their_et():
    assert names(read_list("la Communauté de communes Terres et Forêts, qui prête", 0)) == \
        ["Communauté de communes Terres et Forêts"]
    assert names(read_list("la CAF et Emmaüs France.", 0)) == ["CAF", "Emmaüs France"]


def test_capitalised_head_with_a_closing_lower_case_word():
    assert names(read_list("la CAF, la Mission locale et Pôle emploi.", 0)) == ["CAF", "Mission locale", "Pôle emploi"]


def test_partnerships_with_companies_listed_after_comme(reader):
    d = reader.read("Le projet « Pain partagé » grandit. Il a noué des partenariats avec de grandes enseignes "
                    "comme Carrefour, Lidl ou Biocoop.", "t.txt")
    assert partners(d, "partenaire") == {"Carrefour", "Lidl", "Biocoop"}


def test_soutenu_par_a_foundation_is_funding_a_city_is_partner(reader):
    d = reader.read("Le projet « Yucca » est soutenu par la Fondation Orion et par la Ville de Brest.", "t.txt")
    assert funders(d) == {None: {"Fondation Orion"}}
    assert partners(d, "partenaire") == {"Ville de Brest"}


def test_names_opening_the_sentence_then_associes(reader):
    d = reader.read("Le projet « Cap Nord » avance. La Mission locale et le PLIE de Lens ont été associés "
                    "au repérage des candidats.", "t.txt")
    assert partners(d, "partenaire") == {"Mission locale", "PLIE de Lens"}


def test_subject_then_verb_gives_donors_and_funders(reader):
    text = ("Le projet « Cap Nord » avance. La communauté de communes Cœur de Loire met à disposition "
            "un local. Le Département du Cher finance également le poste d'animatrice. Les bénévoles "
            "donnent de leur temps.")
    d = reader.read(text, "t.txt")
    assert partners(d, "donateur") == {"communauté de communes Cœur de Loire"}
    assert funders(d) == {None: {"Département du Cher"}}


def test_members_listed_with_descriptions_and_quoted_names(reader):
    text = ("Le pôle « Terres unies » grandit. Parmi eux : la communauté de communes de la région de "
            "Marle, la coopérative de producteurs bio « Champs Libres » et l'association d'éducation "
            "populaire « Les Semeurs ».")
    d = reader.read(text, "t.txt")
    assert partners(d, "membre") == {"communauté de communes de la région de Marle", "Champs Libres", "Les Semeurs"}


def test_apposition_after_a_name_is_not_another_name(reader):
    d = reader.read("Le projet « Friche verte » avance. Le défrichage a été assuré par les Jardiniers "
                    "du Nord, une entreprise d'insertion locale.", "t.txt")
    assert partners(d) == {"Jardiniers du Nord"}
    assert {p.role for p in d.partnerships} == {"prestataire"}


def test_client_subject_then_fait_appel_a_elle(reader):
    d = reader.read("Le projet « Berges propres » avance. La Direction des routes de l'Est vient de faire "
                    "appel à elle pour nettoyer les talus.", "t.txt")
    assert partners(d, "client") == {"Direction des routes de l'Est"}


def test_parenthesised_partners_after_relations_avec(reader):
    d = reader.read("Le projet « Pont » avance. Il développe les relations de l'équipe avec le secteur "
                    "médico-social (Maison du Cher, SPIP, ADAPEI…) afin de mieux orienter.", "t.txt")
    assert partners(d, "partenaire") == {"Maison du Cher", "SPIP", "ADAPEI"}


def test_counted_workshops_listed_in_parentheses(reader):
    d = reader.read("Le bassin nord compte trois ateliers (Bois Flotté, Couture et repassage).", "t.txt")
    assert [i.name for i in d.initiatives] == ["Bois Flotté", "Couture", "Atelier repassage"]


def test_what_a_structure_creates_is_an_initiative_named_after_it(reader):
    d = reader.read("Au cœur du quartier des Glycines, Solid'Art a créé en 2019 une recyclerie créative pour "
                    "les habitants.", "t.txt")
    assert [i.name for i in d.initiatives] == ["Recyclerie créative de Solid'Art"]
    d = reader.read("Car la ville a mis en place un nouveau réseau de bus.", "t.txt")
    assert d.initiatives == []  # "Car" opens the sentence: no subject, no initiative


def test_quoted_name_then_c_est_le_nom(reader):
    d = reader.read("« Voisins solidaires », c'est le nom du collectif qui anime le quartier.", "t.txt")
    assert [i.name for i in d.initiatives] == ["Voisins solidaires"]


def test_name_then_qui_fournit_is_a_donor_but_not_a_person(reader):
    d = reader.read("Le projet « Cap » avance. C'est un haras voisin, les Écuries du Lac, qui fournit le fumier. "
                    "Son voisin, Jean Dupont, qui fournit du bois, est ravi.", "t.txt")
    assert partners(d, "donateur") == {"Écuries du Lac"}


def test_actors_listed_after_a_colon_with_glosses(reader):
    d = reader.read("Le projet « Cap » avance. Les acteurs du territoire sont nombreux : Terre Vive, "
                    "Citéo (collecte), Recyclerie du Port et Biocoop.", "t.txt")
    assert partners(d, "partenaire") == {"Terre Vive", "Citéo", "Recyclerie du Port", "Biocoop"}


def test_services_provided_for_clients_tels_que(reader):
    d = reader.read("Le projet « Cap » avance. La logistique est assurée pour des marques tels que Veja ou Camif.", "t.txt")
    assert partners(d, "client") == {"Veja", "Camif"}


def test_paragraph_opening_on_its_subject_names_the_story(reader):
    text = ("Un atelier qui relance le vélo\n"
            "Roue Libre, c'est d'abord une idée : réparer les vélos abandonnés du quartier et les "
            "revendre à petit prix. L'atelier travaille en partenariat avec la Ville de Niort et forme "
            "chaque année une dizaine de salariés en insertion aux métiers de la mécanique.\n")
    d = reader.read(text, "t.txt")
    assert [i.name for i in d.initiatives] == ["Roue Libre"]
    assert org_names(d, d.initiatives[0].pilots) == {"Roue Libre"}
    assert partners(d, "partenaire") == {"Ville de Niort"}


def test_regression_long_text_with_many_titles_is_read_in_linear_time():
    # each title line used to scan (and copy) the rest of the text: quadratic on long catalogues
    import time

    story = ("Le Jardin Vert, une idée qui pousse\n"
             + "Le Jardin Vert emploie des salariés en insertion et vend ses légumes au marché de la ville. " * 4
             + "\n")
    r = ProseReader()
    r.read(story, "warm.txt")
    t = time.perf_counter()
    r.read(story * 50, "a.txt")
    small = time.perf_counter() - t
    t = time.perf_counter()
    r.read(story * 400, "b.txt")
    large = time.perf_counter() - t
    assert large < 8 * small * 2.5, (small, large)  # 8 times the text: well under 20 times the time


def test_empty_and_blank_texts(reader):
    assert reader.read("", "e.txt").organisations == []
    assert reader.read("\n\n   \n", "e.txt").fundings == []


# ---------------------------------------------------------------- on a corpus document

@pytest.mark.corpus
def test_article_000_funders_and_amounts(reader, corpus_dir):
    path = next(corpus_dir.glob("000_*.txt"))
    text = path.read_text(encoding="utf-8")
    d = reader.read(text, path.name)
    amounts = {f.amount_eur for f in d.fundings if f.amount_eur is not None}
    assert {80000.0, 19000.0, 20000.0, 2500.0} <= amounts
    for f in d.fundings:  # the funding's span holds its amount
        if f.amount_eur is not None:
            assert any(f.amount_eur in {x.value_eur for x in find_amounts(text[a:b])} for a, b in f.spans)


# ---------------------------------------------------------------- funding constructions
# One sentence per construction of FUNDING_CONSTRUCTIONS, written for these tests.

from maillage.extract.prose import FUNDING_CONSTRUCTIONS, funding_statements  # noqa: E402

STATEMENTS = [
    # active voice, the body first
    ("La Région Bretagne a alloué 12 000 € à l'atelier vélo.", [(["Région Bretagne"], 12000)]),
    ("Le Département du Finistère finance le projet à hauteur de 8 000 €.", [(["Département du Finistère"], 8000)]),
    ("La Fondation Abbé Pierre participe à hauteur de 4 500 €.", [(["Fondation Abbé Pierre"], 4500)]),
    ("La Caisse d'allocations familiales du Morbihan a versé 3 000 € en 2023.", [(["Caisse d'allocations familiales du Morbihan"], 3000)]),
    ("L'État a débloqué une enveloppe de 40 000 € pour le chantier.", [(["État"], 40000)]),
    ("La mairie y consacre 7 000 € par an.", [(["mairie"], 7000)]),
    ("Le Rotary club de Quimper a offert 1 500 €.", [(["Rotary club de Quimper"], 1500)]),
    ("La Métropole de Rennes attribue chaque année 9 500 € au garage.", [(["Métropole de Rennes"], 9500)]),
    ("La Banque des Territoires accorde un prêt de 50 000 €.", [(["Banque des Territoires"], 50000)]),
    ("La Fondation Daniel et Nina Carasso soutient financièrement le projet à hauteur de 25 000 €.",
     [(["Fondation Daniel et Nina Carasso"], 25000)]),
    ("La Caisse d'allocations familiales de la Manche a bouclé le tour de table par un don de 5 000 €.",
     [(["Caisse d'allocations familiales de la Manche"], 5000)]),
    ("Le Fonds européen agricole pour le développement rural (FEADER) cofinance l'investissement pour 75 000 €.",
     [(["Fonds européen agricole pour le développement rural (FEADER)"], 75000)]),
    ("La Communauté de communes du Pays de Landivisiau prête une salle et participe à hauteur de 3 000 €.",
     [(["Communauté de communes du Pays de Landivisiau"], 3000)]),
    ("La Métropole de Lyon prend en charge 80 % du coût, soit 16 000 €.", [(["Métropole de Lyon"], 16000)]),
    # several bodies, each with its own amount (the verb said once)
    ("La Fondation Orange apporte 10 000 € et la Fondation SNCF 5 000 €.",
     [(["Fondation Orange"], 10000), (["Fondation SNCF"], 5000)]),
    ("Brest Métropole a versé 6 000 €, la Région Bretagne 4 000 € et le Crédit Mutuel 1 000 €.",
     [(["Brest Métropole"], 6000), (["Région Bretagne"], 4000), (["Crédit Mutuel"], 1000)]),
    # passive and nominal
    ("Les 15 000 € apportés par la Fondation de France ont permis d'embaucher.", [(["Fondation de France"], 15000)]),
    ("Le local est pris en charge par la Ville de Brest pour 4 000 €.", [(["Ville de Brest"], 4000)]),
    ("Le garage est soutenu financièrement par la Fondation Free à hauteur de 3 000 €.", [(["Fondation Free"], 3000)]),
    ("Le projet, d'un budget total de 300 000 €, est financé par le Fonds social européen à hauteur de 50 000 €.",
     [(["Fonds social européen"], 50000)]),
    ("Le projet a reçu une subvention de 9 000 € de la part de la Région Normandie.", [(["Région Normandie"], 9000)]),
    ("Le garage bénéficie d'une aide de 6 000 € de l'Agence nationale de la cohésion des territoires.",
     [(["Agence nationale de la cohésion des territoires"], 6000)]),
    ("Une dotation de la Fondation Free de 3 500 € a été obtenue.", [(["Fondation Free"], 3500)]),
    ("Le chantier reçoit un soutien de 8 000 € de la Fondation Orange pour la Solidarité.",
     [(["Fondation Orange pour la Solidarité"], 8000)]),
    ("Grâce aux 2 000 € du Crédit Mutuel, l'association a acheté un camion.", [(["Crédit Mutuel"], 2000)]),
    # one amount given jointly
    ("Une subvention de 30 000 € de l'État et de la Région Occitanie a été obtenue.",
     [(["État", "Région Occitanie"], 30000)]),
    # the round table, "B (A), C (A)" and "B : A"
    ("Le tour de table : Région Grand Est (20 000 €), Fondation Vinci (10 000 €).",
     [(["Région Grand Est"], 20000), (["Fondation Vinci"], 10000)]),
    ("Financeurs : Département de la Loire : 11 000 €.", [(["Département de la Loire"], 11000)]),
    # the recipient first; bodies paired in order; a named role; a dislocated subject
    ("L'association a obtenu 10 000 € de la Fondation RTE.", [(["Fondation RTE"], 10000)]),
    ("L'atelier a reçu 4 000 € de la Fondation Bettencourt Schueller et 2 000 € du Rotary club de Tours.",
     [(["Fondation Bettencourt Schueller"], 4000), (["Rotary club de Tours"], 2000)]),
    ("Le Département de la Sarthe et la CAF de la Sarthe ont apporté respectivement 7 000 € et 4 000 €.",
     [(["Département de la Sarthe"], 7000), (["CAF de la Sarthe"], 4000)]),
    ("Avec 25 000 €, la Fondation Crédit Coopératif est le premier financeur du projet.",
     [(["Fondation Crédit Coopératif"], 25000)]),
    ("Quant à la Ville de Nantes, elle verse 5 000 € chaque année.", [(["Ville de Nantes"], 5000)]),
    ("Le Département du Cher, qui soutient l'atelier depuis 2019, a versé 9 000 € cette année.",
     [(["Département du Cher"], 9000)]),
    ("Côté financements, la Région Pays de la Loire a accordé 18 000 € ; le Département de la Sarthe, 7 000 €.",
     [(["Région Pays de la Loire"], 18000), (["Département de la Sarthe"], 7000)]),
    ("La CAF du Cher finance 30 % du poste, soit 12 000 €, et la MSA Berry-Touraine 3 000 €.",
     [(["CAF du Cher"], 12000), (["MSA Berry-Touraine"], 3000)]),
    ("15 000 € proviennent de la Région Bretagne.", [(["Région Bretagne"], 15000)]),
    ("Le projet a été doté de 15 000 € par la Fondation de France.", [(["Fondation de France"], 15000)]),
    ("La Fondation Carrefour a fait un don de 3 000 €.", [(["Fondation Carrefour"], 3000)]),
    ("Le Fonds social européen intervient à hauteur de 40 000 €.", [(["Fonds social européen"], 40000)]),
    ("La Ville de Tours et Tours Métropole ont versé ensemble 30 000 €.", [(["Ville de Tours", "Tours Métropole"], 30000)]),
    ("Le soutien de la Région Centre-Val de Loire (15 000 €) a été déterminant.", [(["Région Centre-Val de Loire"], 15000)]),
    # a restatement is not a second amount; a total is nobody's gift
    ("L'État a alloué 100 000 €, soit près de la moitié du budget de 210 000 €.", [(["État"], 100000)]),
]


@pytest.mark.parametrize("sentence, expected", STATEMENTS, ids=[s[:40] for s, _ in STATEMENTS])
def test_funding_constructions(sentence, expected):
    found = [([n.text for n in st.names], st.amount.value_eur) for st in funding_statements(sentence)]
    assert found == [(names_, float(v)) for names_, v in expected]
    for stmt in funding_statements(sentence):
        for n in stmt.names:
            assert sentence[n.start:n.end] == n.text
        assert sentence[stmt.amount.start:stmt.amount.end].strip()


def test_every_construction_is_exercised():
    ids = {cid for cid, *_ in FUNDING_CONSTRUCTIONS} | {"pairs"}
    seen = {st.construction for s, _ in STATEMENTS + NEW_STATEMENTS for st in funding_statements(s)}
    assert ids <= seen, ids - seen


@pytest.mark.parametrize("sentence", [
    "La Région Bretagne couvre 80 % du coût du projet.",          # a share, no euros
    "Le budget total du garage atteint 120 000 €.",              # a total, nobody gives it
    "Le garage a réparé 300 voitures pour 45 000 € de chiffre d'affaires.",
    "Les salariés sont payés 1 400 € par mois.",
])
def test_no_funding_statement_without_a_giver(sentence):
    assert funding_statements(sentence) == []


def test_reader_pairs_each_stated_body_with_its_own_amount(reader):
    d = reader.read("Le garage « Roue Libre » ouvre à Morlaix. La Fondation Orange apporte 10 000 € et "
                    "la Fondation SNCF 5 000 €. La Région Bretagne a alloué 8 000 €, soit 40 % du budget.", "t.txt")
    assert funders(d) == {10000.0: {"Fondation Orange"}, 5000.0: {"Fondation SNCF"}, 8000.0: {"Région Bretagne"}}


def test_reader_bare_body_subject_resolves_to_the_fuller_name(reader):
    d = reader.read("Le garage « Roue Libre » est soutenu par la Région Bretagne. La Région y consacre 7 000 € par an.",
                    "t.txt")
    assert funders(d).get(7000.0) == {"Région Bretagne"}


_FILLERS = ["également", "aussi", ",", "d'ailleurs", "en 2024", "notamment", "(voir encadré)", "très", "depuis longtemps"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([s for s, _ in STATEMENTS]), st.lists(st.tuples(st.integers(0, 40), st.sampled_from(_FILLERS)),
                                                            max_size=4))
def test_funding_statements_with_inserted_fillers_never_fail_and_spans_stay_in_the_text(sentence, inserts):
    words = sentence.split(" ")
    for pos, filler in inserts:
        words.insert(min(pos, len(words)), filler)
    text = " ".join(words)
    for stt in funding_statements(text):
        assert 0 <= stt.amount.start < stt.amount.end <= len(text)
        for n in stt.names:
            assert 0 <= n.start < n.end <= len(text) and text[n.start:n.end] == n.text


# ---------------------------------------------------------------- names and partners

@pytest.mark.parametrize("text, expected", [
    ("la Fondation Daniel et Nina Carasso", ["Fondation Daniel et Nina Carasso"]),
    ("la Caisse d'allocations familiales des Vosges a versé", ["Caisse d'allocations familiales des Vosges"]),
    ("le Fonds européen agricole pour le développement rural (FEADER) apporte",
     ["Fonds européen agricole pour le développement rural (FEADER)"]),
    ("l'Agence nationale de la cohésion des territoires finance", ["Agence nationale de la cohésion des territoires"]),
    ("la Chambre de métiers et de l'artisanat de la Creuse", ["Chambre de métiers et de l'artisanat de la Creuse"]),
    ("la Fondation de France de 5 000 €", ["Fondation de France"]),
    ("la Région Bretagne et la Fondation Macif", ["Région Bretagne", "Fondation Macif"]),
    ("la Région Bretagne finance le Garage Solidaire", ["Région Bretagne"]),
    ("la Mission locale Ardèche méridionale", ["Mission locale Ardèche méridionale"]),
])
def test_names_keep_their_inner_connectors_and_end_at_a_verb_or_an_amount(text, expected):
    assert names(read_list(text, 0)) == expected


@pytest.mark.parametrize("clause, partner, role", [
    ("a été monté en partenariat avec la Mission locale du Pays de Morlaix", "Mission locale du Pays de Morlaix", "partenaire"),
    ("avance aux côtés de France Travail", "France Travail", "partenaire"),
    ("s'est développé avec l'appui de la Chambre de commerce et d'industrie de Brest",
     "Chambre de commerce et d'industrie de Brest", "partenaire"),
    ("fonctionne en lien avec le Centre social de Kerourien", "Centre social de Kerourien", "partenaire"),
    ("avance main dans la main avec la Banque alimentaire du Finistère", "Banque alimentaire du Finistère", "partenaire"),
    ("est associé à la Mission locale de Quimper", "Mission locale de Quimper", "partenaire"),
    ("s'appuie aussi sur l'auto-école sociale Permis Facile 29", "Permis Facile 29", "operateur"),
    ("travaille avec la Ligue de l'enseignement du Finistère", "Ligue de l'enseignement du Finistère", "partenaire"),
    ("est mené en collaboration avec l'Université de Bretagne occidentale", "Université de Bretagne occidentale", "partenaire"),
    ("a été mis en place avec la Ville de Landerneau", "Ville de Landerneau", "partenaire"),
    ("a été co-construit avec le Parc naturel régional d'Armorique", "Parc naturel régional d'Armorique", "partenaire"),
    ("accueille des stagiaires orientés par la Mission locale du Pays de Brest", "Mission locale du Pays de Brest",
     "prescripteur"),
    ("s'approvisionne en pièces auprès de la Recyclerie du Léon", "Recyclerie du Léon", "prestataire"),
])
def test_partner_constructions(reader, clause, partner, role):
    d = reader.read(f"L'atelier « Roue Libre » {clause}.", "t.txt")
    assert partner in partners(d, role)


def test_partners_listed_after_partenaires_colon(reader):
    d = reader.read("L'atelier « Roue Libre » compte plusieurs partenaires : Emmaüs Connect, la Croix-Rouge française "
                    "et le Planning familial.", "t.txt")
    assert partners(d) == {"Emmaüs Connect", "Croix-Rouge française", "Planning familial"}


def test_foundation_named_after_persons_is_one_name_two_bodies_are_two(reader):
    d = reader.read("Le garage « Roue Libre » ouvre. La Fondation Daniel et Nina Carasso a versé 5 000 €.", "t.txt")
    assert funders(d) == {5000.0: {"Fondation Daniel et Nina Carasso"}}
    d = reader.read("Le garage « Roue Libre » ouvre. La Fondation Macif et France Travail ont versé 5 000 €.", "t.txt")
    assert funders(d) == {5000.0: {"Fondation Macif", "France Travail"}}


@pytest.mark.parametrize("sentence", [
    "Emmaüs Solidarité a investi 20 000 € dans un camion.",              # its own money
    "Le Garage Solidaire a vendu 300 voitures pour 45 000 €.",
    "La Région Bretagne a accordé son label au projet, qui a coûté 50 000 €.",   # the amount is another clause's
    "En 2023, Alès Agglomération a voté le budget de 12 millions d'euros.",      # a total
])
def test_regression_amounts_that_no_body_gives(sentence):
    assert funding_statements(sentence) == []


def test_a_loan_is_a_funding_statement():
    assert [(n.text, x.amount.value_eur) for x in funding_statements("Le Crédit Mutuel a prêté 10 000 € à taux zéro.")
            for n in x.names] == [("Crédit Mutuel", 10000.0)]


def test_an_aid_of_a_level_is_the_body_of_that_level_in_the_document(reader):
    d = reader.read("Le garage « Roue Libre » ouvre en Bretagne. La Région Bretagne suit le projet. "
                    "Il a obtenu une subvention régionale de 5 000 €.", "t.txt")
    assert funders(d) == {5000.0: {"Région Bretagne"}}


def test_regression_list_subject_of_a_plural_verb_and_associes_a_a_common_noun(reader):
    # "associés à l'identification": a lower-case noun is no partner (the capital lookahead was
    # case-insensitive), and the list before "ont été associés" keeps its long last item
    d = reader.read("Le projet « Atelier Bois » est porté par l'association Copeaux. Le PLIE du Pays de Brest, la maison "
                    "de l'emploi et de la formation de Brest ont été associés à l'identification des candidats.", "t.txt")
    assert {"PLIE du Pays de Brest", "maison de l'emploi et de la formation de Brest"} <= partners(d)
    assert not any("identification" in p.lower() for p in partners(d))


# Constructions added after the held-out and unseen batch 2 runs (sentences written for these tests).
NEW_STATEMENTS = [
    ("Pour lancer la recyclerie, la Fondation Vinci a mis 20 000 € sur la table.", [(["Fondation Vinci"], 20000)]),
    ("La Région Bretagne s'est engagée à hauteur de 18 000 € sur trois ans.", [(["Région Bretagne"], 18000)]),
    ("Le Grand Périgueux s'est engagé pour un montant total de 22 000 €.", [(["Grand Périgueux"], 22000)]),
    ("Le Crédit Agricole lui a remis un chèque de 2 500 € en juin.", [(["Crédit Agricole"], 2500)]),
    ("L'association a reçu un coup de pouce de 3 000 € de la Fondation SNCF.", [(["Fondation SNCF"], 3000)]),
    ("Le budget est de 90 000 €, dont 30 000 € provenant de la Région Normandie.", [(["Région Normandie"], 30000)]),
    ("Le reste est couvert par la Métropole de Rouen, dont la contribution s'élève à 12 000 €.",
     [(["Métropole de Rouen"], 12000)]),
    ("Une aide de 5 000 € a été obtenue auprès de la Fondation Macif.", [(["Fondation Macif"], 5000)]),
    ("Le projet est financé par la Région Sud (40 000 €) et par le Département du Var, qui a voté 15 000 €.",
     [(["Département du Var"], 15000), (["Région Sud"], 40000)]),
    ("Les travaux ont été payés par la Ville de Laon pour 8 000 €.", [(["Ville de Laon"], 8000)]),
    ("Le conseil départemental du Jura s'est engagé sur deux ans pour un montant total de 30 000 €.",
     [(["conseil départemental du Jura"], 30000)]),
    ("Le solde est apporté par le Fonds pour l'innovation sociale en milieu rural, dont la participation atteint 6 000 €.",
     [(["Fonds pour l'innovation sociale en milieu rural"], 6000)]),
    ("Une prime de 2 000 € a été obtenue en 2024 auprès de la Fondation Crédit Coopératif.",
     [(["Fondation Crédit Coopératif"], 2000)]),
    ("Le minibus a été payé en partie par la Région Grand Est (25 000 €) et par la Ville de Sedan, qui a voté 9 000 €.",
     [(["Ville de Sedan"], 9000), (["Région Grand Est"], 25000)]),
]


@pytest.mark.parametrize("sentence, expected", NEW_STATEMENTS, ids=[s[:40] for s, _ in NEW_STATEMENTS])
def test_funding_constructions_added_after_the_holdout(sentence, expected):
    found = [([n.text for n in st.names], st.amount.value_eur) for st in funding_statements(sentence)]
    assert found == [(names_, float(v)) for names_, v in expected]


def test_added_constructions_are_in_the_table():
    ids = {cid for cid, *_ in FUNDING_CONSTRUCTIONS}
    seen = {st.construction for s, _ in NEW_STATEMENTS for st in funding_statements(s)}
    assert {"table", "pledge", "cheque", "whose"} <= ids & seen


@pytest.mark.parametrize("sentence, partner, role", [
    ("L'association Vélo Campus anime l'atelier en lien étroit avec la Mission locale de Poitiers.",
     "Mission locale de Poitiers", "partenaire"),
    ("Le chantier a été monté avec la complicité de la Fondation Terre Solidaire.", "Fondation Terre Solidaire", "partenaire"),
    ("L'épicerie Le Panier Garni, aux côtés de laquelle intervient la Banque alimentaire de la Vienne, accueille 80 familles.",
     "Banque alimentaire de la Vienne", "partenaire"),
    ("L'atelier fonctionne en convention avec le CCAS de Poitiers.", "CCAS de Poitiers", "partenaire"),
    ("Les bénévoles sont formés par l'Heureux Cyclage.", "Heureux Cyclage", "prestataire"),
])
def test_partner_constructions_added_after_the_holdout(sentence, partner, role):
    from maillage.extract.prose import ProseReader

    d = ProseReader().read(sentence, "x.txt")
    by = {o.key: o.name for o in d.organisations}
    assert (partner, role) in [(by.get(p.partner), p.role) for p in d.partnerships]
