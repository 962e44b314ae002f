"""The command line as users and other tools call it: contracts on columns and formats."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from maillage.cli import app

runner = CliRunner()


def cli(built, *args):
    result = runner.invoke(app, ["--store", str(built.store_dir), "--data", str(built.data_dir), *args])
    return result


def test_who_funds_what_csv_contract(built):
    r = cli(built, "query", "who-funds-what", "--format", "csv", "--param", "initiative=Api Truck's")
    assert r.exit_code == 0, r.output
    reader = csv.DictReader(io.StringIO(r.stdout))
    assert {"funder", "initiative", "amount_eur", "period", "purpose", "source"} <= set(reader.fieldnames)
    rows = list(reader)
    assert len(rows) == 5
    assert sorted(r["amount_eur"] for r in rows) == sorted(["15000", "20000", "80000", "19000", "2500"])
    dotation = next(r for r in rows if r["amount_eur"] == "15000")
    assert dotation["purpose"] == "" and dotation["period"] == ""
    assert all("http" not in r["funder"] and "http" not in r["initiative"] for r in rows)


def test_partnerships_csv_contract(built):
    r = cli(built, "query", "partnerships", "--format", "csv")
    assert r.exit_code == 0, r.output
    reader = csv.DictReader(io.StringIO(r.stdout))
    assert {"initiative", "partner", "role", "source"} <= set(reader.fieldnames)
    rows = list(reader)
    assert ("Bus de l'emploi et de l'insertion de Barlin", "Inter Insert", "partenaire") in {
        (r["initiative"], r["partner"], r["role"]) for r in rows}
    assert all(r["source"] for r in rows)


def test_json_format_and_bad_param_syntax(built):
    r = cli(built, "query", "funders-of", "-p", "initiative=Api Truck's", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["columns"][0] == "funder" and len(data["rows"]) == 6
    r = cli(built, "query", "funders-of", "-p", "initiative")
    assert r.exit_code == 2 and "key=value" in r.stderr
    r = cli(built, "query", "partners-of", "-p", "organisation=Nobody")
    assert r.exit_code == 2 and "no organisation called 'Nobody'" in r.stderr


def test_sparql_from_stdin(built):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/maillage/def#Initiative> }"
    r = runner.invoke(app, ["--store", str(built.store_dir), "sparql", "-", "--format", "csv"], input=q)
    assert r.exit_code == 0, r.output
    assert int(r.stdout.splitlines()[1]) >= 2
    r = runner.invoke(app, ["--store", str(built.store_dir), "sparql", "-"], input="SELECT WHERE {")
    assert r.exit_code == 2 and "SPARQL syntax error" in r.stderr


def test_query_without_a_build_says_what_to_do(tmp_path):
    r = runner.invoke(app, ["--store", str(tmp_path / "none"), "query", "who-funds-what"])
    assert r.exit_code == 1 and "run `maillage build` first" in r.stderr


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("xml", "xml"), ("jsonld", "json-ld")])
def test_exports_parse_back_to_the_same_triples(built, store, tmp_path, fmt, parser):
    out = tmp_path / f"x.{fmt}"
    r = cli(built, "export", "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    g = Graph().parse(out, format=parser)
    reference = Dataset()
    reference.parse(data=store.nquads(), format="nquads")
    expected = {(s, p, o) for s, p, o, _ in reference.quads((None, None, None, None))}
    assert len(g) == len(expected)


def test_jsonld_uses_a_compact_context(built, tmp_path):
    out = tmp_path / "x.jsonld"
    cli(built, "export", "--format", "jsonld", "-o", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"]["schema"] == "https://schema.org/"
    assert "schema:funder" in out.read_text(encoding="utf-8")


def test_trig_keeps_one_graph_per_source(built, tmp_path):
    out = tmp_path / "x.trig"
    cli(built, "export", "--format", "trig", "-o", str(out))
    ds = Dataset()
    ds.parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    assert any(n.endswith("/graph/000_db57453d3f781195") for n in names)
    assert any(n.endswith("/graph/003_51a5ec4ebfa4ed0e") for n in names)
    assert any(n.endswith("/graph/territoires") for n in names)


def test_graphml_export_opens_in_networkx(built, tmp_path):
    out = tmp_path / "net.graphml"
    r = cli(built, "export", "--format", "graphml", "-o", str(out))
    assert r.exit_code == 0, r.output
    g = nx.read_graphml(out)
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert "CCAS de Barlin" in labels and g.number_of_edges() > 0


def test_base_uri_is_configurable(tmp_path, data_dir):
    store = tmp_path / "store"
    r = runner.invoke(app, ["--store", str(store), "--base", "http://example.org/kg", "build"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["--store", str(store), "sparql", "-", "--format", "csv"],
                      input="SELECT ?s WHERE { ?s a <https://w3id.org/maillage/def#Initiative> } LIMIT 1")
    assert r.stdout.splitlines()[1].startswith("http://example.org/kg/initiative/")


def test_span_helper(corpus_dir):
    r = runner.invoke(app, ["span", str(corpus_dir / "000_db57453d3f781195.txt"), "Fondation Macif"])
    assert r.exit_code == 0
    start, end = json.loads(r.stdout.split()[0] + r.stdout.split()[1])
    text = (corpus_dir / "000_db57453d3f781195.txt").read_text(encoding="utf-8")
    assert text[start:end] == "Fondation Macif"


def test_closed_choices_match_the_modules_that_implement_them():
    from maillage import export, load, output
    from maillage.cli import choices

    assert {f.value for f in choices.TableFormat} == set(output.FORMATS)
    assert {f.value for f in choices.ExportFormat} == set(export.FORMATS)
    assert {k.value for k in choices.LoadKind} == set(load.KINDS)


def test_a_choice_outside_the_list_is_refused_with_the_choices(built):
    # `maillage sparql - -f xml` used to print a table silently
    r = runner.invoke(app, ["--store", str(built.store_dir), "sparql", "-", "-f", "xml"], input="ASK {}")
    assert r.exit_code == 2 and "'table', 'csv', 'tsv', 'json'" in r.output
    r = cli(built, "export", "--format", "rdfxml")
    assert r.exit_code == 2 and "'graphml'" in r.output
    r = cli(built, "query", "stats", "--backend", "virtuoso")
    assert r.exit_code == 2 and "'memory'" in r.output


def test_stats_has_a_column_per_document_beside_all(built):
    r = cli(built, "stats", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0])[:3] == ["measure", "category", "all"] and "000" in rows[0]
    by_cd = next(row for row in rows if row["measure"] == "euros by funder kind" and row["category"] == "CD")
    assert by_cd["all"] == str(sum(int(by_cd[c] or 0) for c in list(rows[0])[3:]))


def test_viz_links_to_a_running_explorer(built, tmp_path):
    """maillage viz --explorer URL: each body links to its page there, the page back to its home;
    without it no link at all; anything but an http(s) URL is refused."""
    import re

    out = tmp_path / "network.html"
    cli(built, "viz", "-o", str(out), "--explorer", "http://127.0.0.1:8000/")
    page = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="maillage-data">(.*?)</script>', page, re.S).group(1))
    ft = next(n for n in data["nodes"] if n["label"] == "France Travail")
    assert ft["href"] == "http://127.0.0.1:8000/id/" + ft["id"][len(built.base):]
    assert ft["net"] == "http://127.0.0.1:8000/network/" + ft["id"][len(built.base):]
    assert 'id="maillage-home" href="http://127.0.0.1:8000/"' in page
    cli(built, "viz", "-o", str(out))
    plain = out.read_text(encoding="utf-8")
    assert 'id="maillage-home"' not in plain and '"href":' not in plain
    refused = runner.invoke(app, ["--store", str(built.store_dir), "viz", "-o", str(out), "--explorer", "javascript:alert(1)"])
    assert refused.exit_code != 0 and "--explorer" in refused.output
