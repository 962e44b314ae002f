"""Rows of the first part of document 004 (COORACE catalogue, characters 0-21822), checked
against what the passages state: the partners of one story, a departmental funding without
amount, a turnover figure, the territory hierarchy and the COORACE memberships."""

from __future__ import annotations

from maillage import query as queries
from maillage.output import plain

DOC = "004_6542941b035b2caf.txt"


def rows(store, name, **params):
    return [{k: plain(v) for k, v in r.items()} for r in queries.run(store, name, params).rows]


def test_interm_aide_gardiens_story_has_its_pilot_six_partners_and_two_prescribers(store):
    got = rows(store, "partnerships", initiative="filiere-gardiens-immeuble-intermaide")
    assert sorted((r["partner"], r["role"]) for r in got) == sorted([
        ("Interm'Aide Emploi", "pilote"),
        ("AFPOLS", "partenaire"), ("Média-Formation", "partenaire"), ("AGEFOS PME", "partenaire"),
        ("ARHLM (association régionale des organismes HLM, Normandie)", "partenaire"),
        ("DIRECCTE Normandie", "partenaire"), ("France Travail", "partenaire"),
        ("PLIE de l'agglomération de Rouen", "prescripteur"),
        ("Maison de l'emploi et de la formation de Rouen", "prescripteur"),
    ])
    # every partner cites the sentence that lists the partnership, inside the first part
    for r in got:
        for frag in r["source"].split():
            start, end = map(int, frag.split("#char=")[1].split(","))
            assert frag.startswith(DOC) and end <= 21822


def test_la_passerelle_post_is_funded_by_the_departement_du_rhone_without_amount(store):
    got = rows(store, "funded-by", funder="Département du Rhône")
    assert [(r["initiative"], r["recipient"], r["amount_eur"], r["purpose"]) for r in got] == [
        ("Médiation santé/social en addictologie (LA PASSERELLE)", "LA PASSERELLE", None, "fonctionnement")]


def test_initiatives_in_the_rhone_include_both_la_passerelle_stories(store):
    names = {r["initiative"] for r in rows(store, "initiatives-in", territory="Rhône")}
    assert {"Médiation santé/social en addictologie (LA PASSERELLE)",
            "Groupe économique solidaire ACTEM"} <= names


def test_baluchon_turnover_and_jobs_are_figures_not_fundings(store):
    q = """PREFIX mai: <https://w3id.org/maillage/def#> PREFIX schema: <https://schema.org/>
           SELECT ?unit ?value WHERE { ?i a mai:Initiative ; schema:name "Baluchon"@fr ;
             mai:keyFigure ?f . ?f schema:unitText ?unit ; schema:value ?value }"""
    figs = sorted((r["unit"], float(plain(r["value"]))) for r in store.select(q).rows)
    assert ("EUR", 1_400_000.0) in figs and ("emplois", 38.0) in figs
    assert rows(store, "who-funds-what", initiative="Baluchon") == []


def test_story_carriers_are_members_of_coorace(store):
    q = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT ?name WHERE { ?m a org:Membership ; org:member ?o ; org:organization ?c .
             ?c skos:prefLabel "COORACE"@fr . ?o skos:prefLabel ?name }"""
    members = {str(plain(r["name"])) for r in store.select(q).rows}
    assert {"BATI +", "Baluchon", "LePoleS", "Partage 44", "AirServices", "LA PASSERELLE",
            "COORACE Formation"} <= members
