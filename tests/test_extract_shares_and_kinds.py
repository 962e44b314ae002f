"""Funders and amounts by mechanisms meant to hold on unread documents (issue 13, round 7), each
with invented sentences: a share of a stated whole, a rate, a grant's kind, a council's report,
the parts of a grant, a modal passive grant."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from maillage.extract.amounts import find_amounts, per_unit, share_of_whole
from maillage.extract.pipeline import extract_text
from maillage.extract.publisher import publisher_of, territory_body
from maillage.extract.syntax import given_amounts, scheme_only


def _pairs(text: str, url: str | None = None) -> set[tuple[str, float | None]]:
    draft = extract_text(text, "d.txt", link=False, url=url)
    names = {o.key: o.name for o in draft.organisations}
    return {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}


# ---------------------------------------------------------------- a share of a whole
@pytest.mark.parametrize(("text", "name", "value"), [
    ("L'opération, d'un coût de 300 000 euros, financée à hauteur des deux tiers par le Département du Cher.",
     "Département", 200000),
    ("Le local a été acheté 280 000 €. Il est financé à hauteur de 50 % par l'Agence Bleue.", "Agence", 140000),
    ("Un montant de 102 000 euros pour le bus, subventionné à hauteur de 80% par l'État.", "État", 81600),
    ("Le chantier coûte 90 000 €, pris en charge au tiers par la Fondation Frêne.", "Fondation", 30000),
])
def test_a_share_of_a_whole_said_before_is_the_givers_amount(text, name, value):
    assert share_of_whole(text, text.index(name)) == value


@pytest.mark.parametrize(("text", "name"), [
    ("Les 70 000 euros d'enveloppe totale sont cofinancés à 50 % par l'État.", "État"),   # a pot for winners
    ("Les structures sont financées à 70% par des subventions publiques.", "subventions"),  # no whole said
    ("Le projet de 50 000 € est soutenu par la Région Bretagne.", "Région"),               # no share said
])
def test_no_share_without_a_whole_or_of_a_shared_pot(text, name):
    assert share_of_whole(text, text.index(name)) is None


@given(whole=st.integers(min_value=1_000, max_value=9_000_000), pct=st.integers(min_value=1, max_value=99))
def test_a_share_is_never_more_than_its_whole(whole, pct):
    text = f"Le projet coûte {whole:,} €, financé à hauteur de {pct} % par la Région Alpha.".replace(",", " ")
    value = share_of_whole(text, text.index("la Région"))
    assert value is not None and 0 <= value <= whole
    assert abs(value - whole * pct / 100) <= 1


def test_a_funder_with_no_amount_gets_its_share_in_the_draft():
    pairs = _pairs("Le garage Roue Libre ouvre à Vierzon.\n"
                   "Le bâtiment a coûté 120 000 euros, financé à hauteur de 25 % par la Fondation Saule Blanc.\n")
    assert ("Fondation Saule Blanc", 30000) in pairs


# ---------------------------------------------------------------- rates, kinds, parts
@pytest.mark.parametrize(("text", "rate"), [
    ("la Ville subventionne 88 euros par ordinateur", True),
    ("un tarif de 2 € par jour", True),
    ("une aide de 5 000 € par an", False),
    ("5 000 € par la Région", False),
])
def test_a_rate_per_unit_is_no_sum(text, rate):
    a = find_amounts(text)[0]
    assert per_unit(text, a.end) is rate


def test_a_grant_of_investment_is_a_grant_not_a_cost():
    s = "Il vous est proposé d'approuver une subvention d'investissement de 2 700 euros à l'association."
    assert [a.value_eur for a in given_amounts(s, find_amounts(s))] == [2700]
    s = "Le coût d'investissement de 300 000 euros est lourd."
    assert given_amounts(s, find_amounts(s)) == []


@pytest.mark.parametrize("name", ["FONCTIONNEMENT AU COMITÉ DÉPARTEMENTAL DE VOILE", "Avenant", "Accompagnement",
                                  "Convention", "Subvention"])
def test_the_kind_of_a_grant_or_an_act_is_no_body(name):
    assert scheme_only(name)


@pytest.mark.parametrize("name", ["Fondation Avenir", "Comité départemental de voile", "Action contre la faim"])
def test_bodies_stay_bodies(name):
    assert not scheme_only(name)


def test_the_parts_of_a_passive_grant_are_not_more_grants():
    pairs = _pairs("Une subvention de 30 000 € a été attribuée à la ville de Pontal pour la maison des familles, "
                   "dont 12 000 € pour les ateliers et 18 000 € pour les travaux.\n",
                   url="https://www.cher.fr/actualites/maison-des-familles")
    values = {v for _, v in pairs}
    assert 30000 in values and not values & {12000, 18000}


def test_parallel_grants_of_one_passive_stay():
    pairs = _pairs("10 000 euros sont attribués à l'association Roue Libre, 24 000 euros à l'association Pas à Pas "
                   "et 8 000 euros pour le garage Cambouis.\n", url="https://www.cher.fr/actualites/mobilite")
    assert {v for _, v in pairs} >= {10000, 24000, 8000}


# ---------------------------------------------------------------- loose amounts
@pytest.mark.parametrize("sentence", [
    "35 000 € peuvent donc être attribués à chacune des associations.",
    "8 000 € sont réservés à la banque alimentaire.",
])
def test_a_modal_or_reserved_grant_without_giver_is_the_publishers(sentence):
    pairs = _pairs("Le Département aide les associations.\n" + sentence + "\n",
                   url="https://www.cher.fr/actualites/aide-alimentaire")
    assert any(n.startswith("Département") and v in (35000, 8000) for n, v in pairs)


def test_aids_to_counted_families_are_no_grant():
    pairs = _pairs("Le Département aide les familles.\n"
                   "En 2014, 12 665 aides ont été accordées à 6 815 familles, soit 2 027 000 €.\n",
                   url="https://www.cher.fr/actualites/aide-alimentaire")
    assert not any(v == 2027000 for _, v in pairs)


# ---------------------------------------------------------------- a council's report
COUNCIL_REPORT = ("RAPPORT À LA COMMISSION PERMANENTE DU CONSEIL DÉPARTEMENTAL\n\nRéunion du 6 mai 2021\n\n"
                  "OBJET : SUBVENTIONS DE FONCTIONNEMENT AU COMITÉ DE VOILE ET À L'ASSOCIATION VENT DEBOUT.\n\n"
                  "Le Département soutient ainsi des associations à Vierzon.\n")


def test_a_councils_report_is_published_by_its_collectivite():
    pub = publisher_of("https://www.docs-partages.net/document/rapport", COUNCIL_REPORT, [])
    assert pub is not None and pub.level == "departement" and pub.gives
    assert pub.name == "Département du Cher"      # Vierzon is in the Cher
    regional = COUNCIL_REPORT.replace("DÉPARTEMENTAL", "RÉGIONAL")
    assert publisher_of("https://www.docs-partages.net/d", regional, []).level == "region"


def test_a_text_that_is_no_councils_report_has_no_publisher_from_its_text():
    assert publisher_of("https://www.docs-partages.net/d", "Le rapport au conseil départemental a été lu.\n", []) is None


def test_communes_named_count_for_their_departement():
    assert territory_body("Les ateliers de Vierzon et de Bourges.", "departement") == "Département du Cher"


def test_a_councils_report_funds_without_taking_the_recipients_in_its_title():
    pairs = _pairs(COUNCIL_REPORT, url="https://www.docs-partages.net/document/rapport")
    names = {n for n, _ in pairs}
    assert "Département du Cher" in names
    assert not {n for n in names if "VOILE" in n.upper() or "VENT" in n.upper() or n.upper().startswith("FONCTION")}


# ---------------------------------------------------------------- bodies written in lower case
@pytest.mark.parametrize(("sentence", "name"), [
    ("Ce projet a été financé par le Fonds d'expérimentations pour la jeunesse dans le cadre de l'appel.",
     "Fonds d'expérimentations"),
    ("Le chantier est financé par le fonds social européen.", "fonds social européen"),
    ("Le chantier est financé par l'agence nationale de la cohésion des territoires.",
     "agence nationale de la cohésion des territoires"),
])
def test_a_body_written_in_lower_case_after_its_head_funds(sentence, name):
    from maillage.extract.relations import RelationReader

    facts = RelationReader().facts(sentence)
    assert name in {n.text for f in facts if f.relation == "funding" for n in f.names}


@pytest.mark.parametrize("sentence", [
    "Le garage a un budget de 200 000 euros financé à moitié par les fonds publics.",
    "Le projet est financé par les fonds propres de l'association.",
    "Les projets sont accompagnés par le fonds d'expérimentation national.",   # support, no funding said
])
def test_money_or_mere_support_is_no_lower_case_funder(sentence):
    from maillage.extract.relations import RelationReader

    assert not [f for f in RelationReader().facts(sentence) if f.relation == "funding" and f.names]
