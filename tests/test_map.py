"""The map of France (issue 16, item 1): the shipped outlines, the figures per département and
région (checked against counts made here from the raw graph, not through the map's queries),
honest money, the filters, and the static page of `maillage map`."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from typer.testing import CliRunner

from maillage import query, territory_map as tm
from maillage.cli import app
from maillage.store.base import QueryError
from maillage.viz import map as vmap

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = """PREFIX mai: <https://w3id.org/maillage/def#> PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX igeo: <http://rdf.insee.fr/def/geo#>
"""


# ---------------------------------------------------------------- the shipped outlines

def test_the_outlines_ship_every_departement_and_region_small_with_their_attribution():
    geo = vmap.outlines()
    with open(ROOT / "data" / "territories" / "departements.csv", encoding="utf-8") as f:
        deps = {r["code"] for r in csv.DictReader(f)}
    with open(ROOT / "data" / "territories" / "regions.csv", encoding="utf-8") as f:
        regs = {r["code"] for r in csv.DictReader(f)}
    assert [d["code"] for d in geo["departements"]] == sorted(deps) and len(deps) == 101
    assert {r["code"] for r in geo["regions"]} == regs and len(regs) == 18
    assert {i["code"] for i in geo["insets"]} == {"971", "972", "973", "974", "976"}
    path = re.compile(r"^(M[-\d. ]+l[-\d. ]+z)+$")
    for shape in geo["departements"] + geo["regions"]:
        assert path.match(shape["d"]), shape["code"]
    assert vmap.OUTLINES.stat().st_size < 400_000
    source = (vmap.OUTLINES.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert "IGN — Admin Express COG 2018; INSEE COG" in source and "Licence Ouverte" in source


def test_the_outlines_are_package_data():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["maillage.viz"]
    assert "static/*" in data and "templates/*" in data


# ---------------------------------------------------------------- figures against the raw graph

def independent_counts(store, level_class: str) -> tuple[dict, dict]:
    """Initiatives per territory code of the level, and fundings (with their amounts) per code,
    from the raw areaServed / recipient-territory / mai:within edges (the closure computed here)."""
    rows = lambda q: store.select(PREFIXES + q).rows  # noqa: E731
    parents = defaultdict(set)
    for r in rows("SELECT ?x ?y WHERE { ?x mai:within ?y }"):
        parents[r["x"]].add(r["y"])

    def up(place):
        seen, todo = {place}, [place]
        while todo:
            for p in parents[todo.pop()] - seen:
                seen.add(p)
                todo.append(p)
        return seen

    code = {r["t"]: r["c"] for r in rows(f"SELECT ?t ?c WHERE {{ ?t a <{level_class}> ; igeo:codeINSEE ?c }}")}
    initiatives = defaultdict(set)
    for r in rows("SELECT ?i ?p WHERE { ?i a mai:Initiative ; schema:areaServed ?p }"):
        for t in up(r["p"]) & code.keys():
            initiatives[code[t]].add(r["i"])
    fundings = defaultdict(set)
    for r in rows("SELECT ?f ?p WHERE { ?f a mai:Funding . { ?f schema:fundedItem/schema:areaServed ?p } "
                  "UNION { ?f mai:recipient/mai:territory ?p } }"):
        for t in up(r["p"]) & code.keys():
            fundings[code[t]].add(r["f"])
    amounts = {r["f"]: Decimal(str(r["v"])) for r in rows("SELECT ?f ?v WHERE { ?f a mai:Funding ; schema:amount/schema:value ?v }")}
    return ({c: len(v) for c, v in initiatives.items()},
            {c: (len(fs), sorted(amounts[f] for f in fs if f in amounts)) for c, fs in fundings.items()})


@pytest.mark.parametrize("level", ["departement", "region"])
def test_counts_and_money_per_territory_match_the_graph(store, level):
    figures = tm.figures(store, level)
    initiatives, fundings = independent_counts(store, tm.LEVELS[level])
    assert len(figures.territories) == (101 if level == "departement" else 18)
    got = {c: t.initiatives for c, t in figures.territories.items() if t.initiatives}
    assert got == initiatives and sum(got.values()) > 50
    for c, t in figures.territories.items():
        n, known = fundings.get(c, (0, []))
        assert (t.fundings, t.with_amount) == (n, len(known)), c
        assert t.known_eur == (sum(known) if known else None), c       # an unknown is never 0
    total = store.select(PREFIXES + "SELECT (COUNT(?i) AS ?n) WHERE { ?i a mai:Initiative }").rows[0]["n"]
    assert figures.initiatives == total and 0 < figures.initiatives_placed < total


def test_money_is_honest(store):
    dep = tm.figures(store, "departement")
    unknown_only = [t for t in dep.territories.values() if t.fundings and not t.with_amount]
    assert unknown_only, "the bundled data has départements whose fundings have no amount"
    for t in unknown_only:
        assert t.known_eur is None
        assert vmap.money_class(t, []) == "ex"
        assert "montant non précisé" in vmap.money_text(t) and "0 €" not in vmap.money_text(t)
    mixed = dep.territories["62"]      # Pas-de-Calais: six fundings, none with an amount
    assert (mixed.fundings, mixed.with_amount, mixed.known_eur) == (6, 0, None)
    amounts = store.select(PREFIXES + "SELECT ?f (SAMPLE(?v) AS ?a) WHERE { ?f a mai:Funding ; schema:amount/schema:value ?v } GROUP BY ?f").rows
    assert dep.known_eur == sum(Decimal(str(r["a"])) for r in amounts) and dep.with_amount == len(amounts)


def test_the_filters_narrow_and_are_bound(store):
    everything = tm.figures(store, "departement")
    mobility = tm.figures(store, "departement", tm.Filters(theme="Mobilité"))
    assert 0 < mobility.initiatives < everything.initiatives
    for code, t in mobility.territories.items():
        assert t.initiatives <= everything.territories[code].initiatives
    # the theme's code works as its name does; a narrower theme counts under its broader one
    assert tm.figures(store, "departement", tm.Filters(theme="mobilite")).initiatives == mobility.initiatives
    dated = store.select(PREFIXES + "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a mai:Initiative ; schema:startDate ?d "
                         "FILTER(SUBSTR(STR(?d), 1, 4) <= '2020') FILTER NOT EXISTS { ?i schema:endDate ?e "
                         "FILTER(SUBSTR(STR(?e), 1, 4) < '2020') } }").rows[0]["n"]
    assert tm.figures(store, "departement", tm.Filters(year="2020")).initiatives == dated
    ccas = tm.figures(store, "region", tm.Filters(kind="Centre communal d'action sociale"))
    assert 0 < ccas.initiatives < everything.initiatives
    text = query.bound_text("map-initiatives", {"theme": "x"})
    assert "\n  { SELECT DISTINCT ?i WHERE { ?i mai:theme" in text and "\n  #+kind" in text


@pytest.mark.parametrize("filters, word", [(tm.Filters(theme="pas un thème"), "Thème"),
                                           (tm.Filters(kind="licorne"), "Type de structure"),
                                           (tm.Filters(year="l'an dernier"), "année")])
def test_a_bad_filter_says_which_in_french(store, filters, word):
    with pytest.raises(QueryError) as exc:
        tm.figures(store, "departement", filters)
    assert word in exc.value.fr


def test_an_internal_clause_must_name_a_declared_binding(tmp_path, monkeypatch):
    (tmp_path / "bad-clause.rq").write_text("# bad-clause: a clause for nothing declared\n# @bind a  x\n"
                                            "SELECT ?a WHERE {\n  #+b ?a ?p ?b .\n}\n", encoding="utf-8")
    monkeypatch.setattr(query, "INTERNAL", tmp_path)
    query.internal.cache_clear()
    try:
        with pytest.raises(QueryError, match=r"bad-clause.rq:4: clause for undeclared binding or values 'b'"):
            query.internal("bad-clause")
    finally:
        query.internal.cache_clear()


@given(st.lists(st.one_of(st.integers(0, 10_000), st.decimals(0, 10**7, places=2)), max_size=120))
def test_every_positive_value_falls_in_one_class(values):
    classes = vmap.classify(values, money=True)
    positive = [v for v in values if v > 0]
    assert len(classes) <= vmap.CLASSES and len(classes) <= len(set(positive))
    assert [c["upper"] for c in classes] == sorted({c["upper"] for c in classes})
    assert sum(c["count"] for c in classes) == len(positive)
    for v in positive:
        assert 1 <= vmap.class_of(v, classes) <= len(classes)
    assert vmap.class_of(0, classes) == 0 and vmap.class_of(None, classes) == 0


# ---------------------------------------------------------------- the static page

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.paths, self.tags, self.rows, self._row, self._in = defaultdict(list), [], [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "svg" and a.get("id", "").startswith("carte-"):
            self._in.append(a["id"])
        if tag == "path" and "territoire" in a.get("class", "") and self._in:
            self.paths[self._in[-1]].append(a)
        if tag == "table":
            self._table = a.get("class", "")
        if tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "svg" and self._in:
            self._in.pop()
        if tag == "tr" and self._row is not None:
            self.rows.append((self._table, self._row))
            self._row = None

    def handle_data(self, data):
        if self._row is not None and data.strip():
            self._row.append(data.strip())


@pytest.fixture(scope="module")
def static_page(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("map") / "carte.html"
    r = CliRunner().invoke(app, ["--store", str(built.store_dir), "map", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"map written to {out}: 101 départements, 18 régions" in r.output.replace("\n", "")
    text = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    return text, page


def test_the_static_page_has_one_path_per_departement_and_its_legends(static_page):
    text, page = static_page
    codes = [p["data-code"] for p in page.paths["carte-departement"]]
    assert sorted(codes) == [d["code"] for d in vmap.outlines()["departements"]] and len(codes) == 101
    assert len(page.paths["carte-region"]) == 18
    zoomed = sorted(a["href"] for t, a in page.tags if t == "use")       # Paris and its inner ring, enlarged: copies
    assert zoomed == ["#d-75", "#d-92", "#d-93", "#d-94"] and all(f'id="d-{c[3:]}"' in text for c in zoomed)
    for level in ("departement", "region"):
        for measure in ("nombre", "montant"):
            assert f'class="legende l-{level}-{measure}"' in text
    assert "aucune initiative" in text and "financements sans montant connu" in text
    assert '<html lang="fr">' in text and "IGN — Admin Express COG 2018 ; INSEE COG" in text
    assert "comptent dans leur département" in text


def test_the_static_page_asks_nothing_of_any_server(static_page):
    text, page = static_page
    assert "<script" not in text.lower()
    policy = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src" not in policy
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            assert attrs["href"].startswith("data:"), attrs


def test_the_static_page_shows_the_figures_of_the_graph(static_page, store):
    text, page = static_page
    initiatives, fundings = independent_counts(store, tm.LEVELS["departement"])
    table = {row[0]: row for cls, row in page.rows if "t-departement" in cls and row and row[0] != "Code"}
    assert {c: int(row[2]) for c, row in table.items() if int(row[2])} == initiatives
    assert table["62"][5] == "montant non précisé"                 # six fundings, no amount: not 0 €
    assert table["63"][5] == vmap.euros(sum(fundings["63"][1]))
    assert not re.search(r"(?<![\d\u202f])0\u00a0€", text)
    puy = next(p for p in page.paths["carte-departement"] if p["data-code"] == "63")
    assert "e0" not in puy["class"].split() and "ex" not in puy["class"].split()


def test_the_map_command_refuses_a_bad_filter_with_a_message(built, tmp_path):
    r = CliRunner().invoke(app, ["--store", str(built.store_dir), "map", "-o", str(tmp_path / "c.html"), "--theme", "licorne"])
    assert r.exit_code == 2 and "licorne" in r.output and not (tmp_path / "c.html").exists()


def test_the_readme_map_lines_print_what_it_shows(built, tmp_path, monkeypatch):
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    shown = [(line[2:], readme[i + 1]) for i, line in enumerate(readme) if line.startswith("$ maillage map ")]
    assert len(shown) >= 2
    monkeypatch.chdir(tmp_path)
    for command, printed in shown:
        r = CliRunner().invoke(app, ["--store", str(built.store_dir), *shlex.split(command)[1:]])
        assert r.exit_code == 0, r.output
        assert " ".join(r.output.split()) == printed, command
