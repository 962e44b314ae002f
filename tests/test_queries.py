"""Canned queries over the bundled records: answers checked row by row against the documents."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from maillage import query as queries
from maillage.output import plain
from maillage.query import QueryError

from conftest import canonical_rows


def rows(store, name, **params):
    result = queries.run(store, name, params)
    return [{k: plain(v) for k, v in r.items()} for r in result.rows]


def test_who_funds_api_trucks_lists_exactly_what_document_000_states(store):
    got = rows(store, "who-funds-what", initiative="Api Truck's")
    table = sorted((r["funder"], r["amount_eur"], r["period"], r["purpose"], r["programme"]) for r in got)
    assert table == sorted([
        ("Agglo Pays d'Issoire", 15000, None, None, None),
        ("Fondation Macif", 20000, None, "fonctionnement", None),
        ("État ; Mutualité sociale agricole (MSA)", 80000, "P3Y", "fonctionnement", "Inclusion & Ruralité"),
        ("Région Auvergne-Rhône-Alpes", 19000, None, "investissement", None),
        ("Rotary club d'Issoire", 2500, None, None, None),
    ])
    assert all(r["initiative"] == "Api Truck's" for r in got)
    assert all(r["source"].startswith("000_db57453d3f781195.txt#char=") for r in got)


def test_who_funds_the_apfe_fiche_of_document_002(store):
    got = rows(store, "who-funds-what", initiative="mobilite-solidaire-apfe")
    table = sorted((r["funder"], r["amount_eur"]) for r in got)
    assert table == sorted([
        ("Département de la Somme", 15242), ("Union européenne", 7472),
        ("État", 110000), ("Département de la Somme", 25000),
    ])
    assert all(r["source"].startswith("002_35e265126090b055.txt#char=") for r in got)
    fse = [r for r in got if r["funder"] == "Union européenne"]
    assert [r["programme"] for r in fse] == ["Fonds social européen (FSE)"]


def test_what_does_the_fse_fund(store):
    """The FSE is a funding scheme of the European Union (issue 15): it can be asked for, and the
    Union's fundings (its total) still hold it."""
    got = rows(store, "who-funds-what", programme="FSE")
    assert sorted(r["initiative"] for r in got) == ["Ateliers et chantiers d'insertion Mobilité solidaire (APFE)",
                                                   "Ferme de la Butte Pinson"]
    assert all(r["funder"] == "Union européenne" and r["programme"] == "Fonds social européen (FSE)" for r in got)
    union = {r["funder"]: r for r in rows(store, "funding-totals")}["Union européenne"]
    assert union["fundings"] == 2 and union["total_eur"] == 7472


def test_who_funds_the_gas_18_fiche_of_document_002(store):
    got = rows(store, "who-funds-what", initiative="Garage associatif solidaire en Centre-Val de Loire")
    table = sorted((r["funder"], r["amount_eur"], r["recipient"]) for r in got)
    assert table == [
        ("Département du Cher ; Région Centre-Val de Loire", 1800000, "GAS 18 MobilitéS"),
        ("État", None, "GAS 18 MobilitéS"),
    ]


def test_parameter_names_resolve_whatever_the_accents_and_apostrophes(store):
    a = rows(store, "who-funds-what", initiative="Api Truck’s")
    b = rows(store, "who-funds-what", initiative="API TRUCKS")
    assert a == b and len(a) == 5


def test_funder_filter_matches_joint_fundings(store):
    got = rows(store, "who-funds-what", funder="MSA")
    assert [(r["initiative"], r["amount_eur"]) for r in got] == [("Api Truck's", 80000)]


def test_year_filter_uses_funding_periods(store):
    every = rows(store, "who-funds-what")
    in_1990 = rows(store, "who-funds-what", year="1990")
    assert len(every) > 0 and in_1990 == []


def test_partners_of_the_ccas_de_barlin_are_the_nine_of_document_003(store):
    got = {r["partner"] for r in rows(store, "partners-of", organisation="CCAS de Barlin")}
    assert got == {
        "Département du Pas-de-Calais", "France Travail", "Mission locale (secteur de Barlin)", "Inter Insert",
        "Proch'Emploi (Région Hauts-de-France)", "BGE (secteur de Barlin)", "PLIE (secteur de Barlin)",
        "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",
    }


def test_initiatives_in_hauts_de_france_go_down_the_territory_hierarchy(store):
    names = {r["initiative"] for r in rows(store, "initiatives-in", territory="Hauts-de-France")}
    assert "Bus de l'emploi et de l'insertion de Barlin" in names
    assert "Api Truck's" not in names
    by_code = {r["initiative"] for r in rows(store, "initiatives-in", territory="reg:32")}
    assert by_code == names
    in_63 = {r["initiative"] for r in rows(store, "initiatives-in", territory="dep:63")}
    assert "Api Truck's" in in_63


def test_territory_filter_of_who_funds_what(store):
    got = rows(store, "who-funds-what", territory="Puy-de-Dôme")
    assert {r["initiative"] for r in got} == {"Api Truck's"}


def test_funders_of_and_funded_by_agree(store):
    funders = rows(store, "funders-of", initiative="Api Truck's")
    assert {r["funder"]: r["total_eur"] for r in funders}["Fondation Macif"] == 20000
    assert {r["funder"]: r["joint_eur"] for r in funders}["État"] == 80000
    macif = rows(store, "funded-by", funder="Fondation Macif")
    assert [(r["initiative"], r["amount_eur"], r["purpose"]) for r in macif] == [("Api Truck's", 20000, "fonctionnement")]
    etat = rows(store, "funded-by", funder="État")
    joint = [r for r in etat if r["initiative"] == "Api Truck's"]
    assert joint[0]["cofunders"] == "Mutualité sociale agricole (MSA)"


def test_co_funders_pairs_each_once(store):
    got = rows(store, "co-funders")
    pairs = [(r["funder_a"], r["funder_b"]) for r in got]
    assert len(pairs) == len(set(pairs))
    assert not any((b, a) in set(pairs) for a, b in pairs)
    barlin = {frozenset(p) for p, r in zip(pairs, got) if "Barlin" in r["initiatives"]}
    assert frozenset({"État", "Maisons et Cités"}) in barlin


def test_funding_totals_do_not_double_count_joint_fundings(store):
    got = {r["funder"]: r for r in rows(store, "funding-totals")}
    assert got["Fondation Macif"]["total_eur"] == 20000
    assert got["État"]["joint_eur"] >= 80000
    # the MSA gave only jointly: nothing known alone is no total, not 0 (issue 15)
    assert got["Mutualité sociale agricole (MSA)"]["total_eur"] is None
    assert got["Mutualité sociale agricole (MSA)"]["joint_eur"] == 80000


def test_an_unknown_amount_is_never_a_zero_total(store):
    """A funder none of whose fundings has a known amount has empty totals, and the count says why."""
    got = {r["funder"]: r for r in rows(store, "funding-totals")}
    assert got["AG2R La Mondiale"]["with_amount"] == 0
    assert got["AG2R La Mondiale"]["total_eur"] is None and got["AG2R La Mondiale"]["joint_eur"] is None
    assert all(r["total_eur"] != 0 and r["joint_eur"] != 0 for r in got.values())


def test_rankings_count_joint_money(store):
    """The largest funding (1.8 M€, the Cher and Centre-Val de Loire together) ranks first."""
    order = [r["funder"] for r in rows(store, "funding-totals")]
    assert set(order[:2]) == {"Département du Cher", "Région Centre-Val de Loire"}
    assert order.index("Département du Cher") < order.index("Fondation Macif")


def test_initiatives_in_without_a_territory_covers_france(store):
    everywhere = rows(store, "initiatives-in")
    assert rows(store, "initiatives-in", territory="France") == everywhere
    total = store.select("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a <https://w3id.org/maillage/def#Initiative> }").rows[0]["n"]
    assert len(everywhere) == total
    assert len(rows(store, "initiatives-in", territory="Pas-de-Calais")) < total


def test_partnerships_contract_columns(store):
    result = queries.run(store, "partnerships", {"initiative": "Api Truck's"})
    assert result.variables[:4] == ["initiative", "partner", "role", "kind"]
    roles = {(r["partner"], r["role"]) for r in result.rows}
    assert ("Agglo Pays d'Issoire", "pilote") in roles


def test_unknown_names_and_parameters_get_clear_errors(store):
    with pytest.raises(QueryError, match="no organisation called 'Nobody Anywhere'"):
        queries.run(store, "partners-of", {"organisation": "Nobody Anywhere"})
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        queries.run(store, "who-funds-what", {"colour": "red"})
    with pytest.raises(QueryError, match="needs --param organisation"):
        queries.run(store, "partners-of", {})
    with pytest.raises(QueryError, match="no query named"):
        queries.run(store, "who-funds-everything", {})
    with pytest.raises(QueryError, match="not a year"):
        queries.run(store, "who-funds-what", {"year": "2022 OR 1=1"})


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=40))
def test_parameter_values_are_never_spliced_into_the_query(store, text):
    """Any text is either resolved to a known entity or refused with QueryError: it can never
    change the query (injection attempts like '"} UNION {' included)."""
    try:
        queries.run(store, "who-funds-what", {"funder": text + '" } UNION { ?s ?p ?o'})
    except QueryError:
        pass


def test_every_canned_query_gives_the_same_answer_on_both_backends(store, rdflib_store, built):
    from maillage.store import open_store

    memory = open_store(built.store_dir, "memory")  # Oxigraph in memory, copied from the disk store
    assert len(memory) == len(store)
    params = {
        "funders-of": {"initiative": "Api Truck's"}, "funded-by": {"funder": "État"},
        "partners-of": {"organisation": "CCAS de Barlin"}, "initiatives-in": {"territory": "Hauts-de-France"},
    }
    for name in queries.catalogue():
        a = queries.run(store, name, params.get(name, {}))
        b = queries.run(rdflib_store, name, params.get(name, {}))
        c = queries.run(memory, name, params.get(name, {}))

        assert a.variables == b.variables == c.variables, name
        assert canonical_rows(a) == canonical_rows(b) == canonical_rows(c), name
        assert a.rows, name  # an empty answer everywhere would compare equal and prove nothing


def _stats(store, **params):
    return {(r["measure"], r["category"] or ""): r for r in rows(store, "stats", **params)}


def test_stats_per_document_add_up_to_the_whole(store):
    overall = _stats(store)
    docs = queries.documents(store)
    per_doc = [_stats(store, document=d) for d in docs]
    for key in [("fundings", "with amount"), ("fundings", "without amount"), ("initiatives", "")]:
        assert overall[key]["count"] == sum(s.get(key, {"count": 0})["count"] for s in per_doc), key
    assert _stats(store, document="000")[("fundings", "with amount")]["count"] == 5


def test_stats_euros_by_funder_kind_add_up_to_all_amounts(store):
    overall = _stats(store)
    by_kind = sum(r["amount_eur"] for (m, _), r in overall.items() if m == "euros by funder kind")
    every = sum(r["amount_eur"] or 0 for r in rows(store, "who-funds-what"))
    assert by_kind == pytest.approx(every)
    doc000 = _stats(store, document="000")
    assert doc000[("euros by funder kind", "MSA")]["amount_eur"] == 40000  # half of the joint 80 000 €


def test_stats_unknown_document_is_an_error(store):
    with pytest.raises(QueryError, match="no single document '999'"):
        queries.run(store, "stats", {"document": "999"})


def test_optional_clauses_count_only_when_their_parameter_is_given(tmp_path):
    from maillage.query import parse_query_file

    path = tmp_path / "demo.rq"
    path.write_text("# demo: a question\n# @param funder organisation optional the funder\n"
                    "SELECT ?f WHERE {\n  ?f a ?c .\n  #+funder ?f <http://x/p> ?funderParam .\n}\n", encoding="utf-8")
    q = parse_query_file(path)
    assert "#+funder" in q.text_for([]) and "\n  ?f <http://x/p> ?funderParam ." in q.text_for(["funder"])
    path.write_text("# demo: a question\nSELECT ?f WHERE {\n  #+colour ?f ?p ?o .\n}\n", encoding="utf-8")
    with pytest.raises(QueryError, match="clause for undeclared parameter 'colour'"):
        parse_query_file(path)


def test_within_or_self_closure_answers_like_the_within_path(store):
    """The build materialises mai:withinOrSelf so that queries need no mai:within* path: for every
    territory of the graph it must give exactly what the path gives, itself included."""
    prefix = "PREFIX mai: <https://w3id.org/maillage/def#> PREFIX igeo: <http://rdf.insee.fr/def/geo#> "
    closure = store.select(prefix + "SELECT ?t ?a WHERE { ?t mai:withinOrSelf ?a }").rows
    path = store.select(prefix + "SELECT DISTINCT ?t ?a WHERE { ?t a igeo:TerritoireFrancais . ?t mai:within* ?a }").rows
    as_set = lambda rows: {(r["t"], r["a"]) for r in rows}
    assert as_set(closure) == as_set(path)
    assert len(closure) == len(as_set(closure)), "a closure triple stated in two graphs counts twice in the union"
    assert any(r["t"] != r["a"] for r in closure) and any(r["t"] == r["a"] for r in closure)
