"""The command line and the explorer give the same answers (issue 12 item 3): every canned
question's rows from `maillage query` against the explorer's table for the same parameters, an
entity page's partners against `partners-of`, `maillage export` against /download; and the
SPARQL the server runs lives in .rq files read by the one query layer."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from maillage import query
from maillage.cli import app
from maillage.config import REPO_ROOT
from maillage.server.launch import ServerProcess
from maillage.server.pages import Site, period

BASE = "https://w3id.org/maillage/id/"

runner = CliRunner()

# every canned question, with parameters people would give
CASES = [
    ("who-funds-what", {}),
    ("who-funds-what", {"funder": "Fondation Macif"}),
    ("who-funds-what", {"territory": "Hauts-de-France"}),
    ("who-funds-what", {"theme": "mobilite"}),
    ("who-funds-what", {"programme": "FSE"}),
    ("funders-of", {"initiative": "Api Truck's"}),
    ("funded-by", {"funder": "Fondation Macif"}),
    ("funded-by", {"funder": "Département du Cher"}),
    ("partners-of", {"organisation": "CCAS de Barlin"}),
    ("partners-of", {"organisation": "Fondation Macif", "cofunders": "oui"}),
    ("partnerships", {"initiative": "Api Truck's"}),
    ("partnerships", {"role": "pilote", "territory": "Pas-de-Calais"}),
    ("initiatives-in", {"territory": "Pas-de-Calais"}),
    ("co-funders", {}),
    ("funding-totals", {}),
    ("funding-totals", {"territory": "Hauts-de-France"}),
    ("stats", {}),
]


@pytest.fixture(scope="module")
def server(built):
    with ServerProcess(built.store_dir, "--timeout", "20") as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def cli(built, *args: str) -> str:
    r = runner.invoke(app, ["--store", str(built.store_dir), *args])
    assert r.exit_code == 0, r.output
    return r.stdout


class _Table(HTMLParser):
    """The text of every cell of the table #results (or of the element with ``wanted`` id)."""

    def __init__(self, wanted: str = "results"):
        super().__init__()
        self.wanted, self.depth, self.rows, self.row, self.cell = wanted, 0, [], None, None

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == self.wanted:
            self.depth = 1
        elif self.depth:
            self.depth += tag not in ("br", "img", "input")
            if tag == "tr":
                self.row = []
            elif tag == "td":
                self.cell = ""

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag == "td" and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(html: str, wanted: str = "results") -> list[list[str]]:
    parser = _Table(wanted)
    parser.feed(html)
    return parser.rows


def squeeze(text) -> str:
    """Only letters and digits: '15 000 €' and 15000 compare equal; an empty cell and None too."""
    if text is None:
        return ""
    text = str(text)
    if text in ("montant non précisé", "—"):
        return ""
    return re.sub(r"[^0-9a-zà-ÿœ]", "", text.lower())


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p)}" for n, p in CASES])
def test_every_canned_question_has_the_same_rows_in_the_cli_and_the_explorer(built, store, http, name, params):
    args = ["query", name, "--format", "json"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    from_cli = json.loads(cli(built, *args))
    r = http.get(f"/query/{name}", params=params)
    assert r.status_code == 200, r.text
    shown = table(r.text)
    assert len(shown) == len(from_cli["rows"]), name
    columns = from_cli["columns"]
    site = Site(BASE)

    kinds = {r["code"]: r["label"] for r in query.select(store, "def-concepts").rows if str(r["scheme"]).endswith("/def/kind/")}

    def shown_as(column, value):
        if column == "kind" and value in kinds:       # a page names a kind of body in French, not by its code
            return kinds[value]
        if column == "period":
            return period(value)
        if column == "source" and value:
            return " ".join(site.source(BASE + "document/" + src)["text"] for src in value.split())
        return value

    expected = [[squeeze(shown_as(c, row[c])) for c in columns] for row in from_cli["rows"]]
    assert [[squeeze(c) for c in row] for row in shown] == expected
    assert len(from_cli["rows"]) > 0 or name == "stats", f"{name} {params}: no rows, the comparison proves nothing"


@pytest.mark.parametrize("org,path", [("Fondation Macif", "org/fondation-macif"), ("CCAS de Barlin", "org/ccas-barlin")])
def test_an_entity_page_lists_the_partners_of_partners_of(built, http, org, path):
    rows = json.loads(cli(built, "query", "partners-of", "-p", f"organisation={org}", "-p", "cofunders=oui",
                          "--format", "json"))["rows"]
    page = http.get(f"/id/{path}", headers={"Accept": "text/html"}).text
    section = page[page.index('id="partners"'):]
    section = section[:section.index("</section>")]
    listed = re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", section)
    import html as h

    assert sorted(h.unescape(x).strip() for x in listed) == sorted(r["partner"] for r in rows)
    assert len(rows) == {"Fondation Macif": 8, "CCAS de Barlin": 11}[org]


def test_partners_of_counts_co_funders_only_when_asked(built):
    without = json.loads(cli(built, "query", "partners-of", "-p", "organisation=Fondation Macif", "-f", "json"))
    assert without["rows"] == []      # the Fondation Macif only funds: it takes part in nothing
    r = runner.invoke(app, ["--store", str(built.store_dir), "query", "partners-of", "-p", "organisation=Fondation Macif",
                            "-p", "cofunders=peut-être"])
    assert r.exit_code == 2 and "oui or non" in r.output


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_cli_export_and_download_are_the_same_graph_spelt_alike(built, http, fmt):
    exported = runner.invoke(app, ["--store", str(built.store_dir), "export", "-f", fmt]).stdout_bytes
    downloaded = http.get(f"/download/maillage.{fmt}").content
    parse = "json-ld" if fmt == "jsonld" else "turtle"
    a, b = Graph().parse(data=exported, format=parse), Graph().parse(data=downloaded, format=parse)
    assert len(a) == len(b) > 10_000
    assert isomorphic(a, b)
    literals = lambda g: {(o, o.datatype) for o in g.objects() if o.__class__.__name__ == "Literal"}
    spelt = lambda g: {str(o) for o, _ in literals(g)}
    assert spelt(a) == spelt(b)           # "1800000" both times, not "1800000.0" once


def test_the_server_and_the_cli_hold_no_sparql_of_their_own():
    """SPARQL lives in .rq files; queries/ holds no Python."""
    assert not list((REPO_ROOT / "queries").rglob("*.py"))
    keywords = re.compile(r"\b(SELECT|CONSTRUCT|ASK)\b[^\n]*\bWHERE\s*\{|PREFIX \w+:\s*<")
    offenders = []
    for path in [*(REPO_ROOT / "maillage" / "server").rglob("*.py"), REPO_ROOT / "maillage" / "query.py"]:
        if path.name == "protocol.py":
            continue
        if keywords.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(REPO_ROOT)))
    assert offenders == []


def test_every_internal_query_parses_and_declares_what_it_binds(store):
    catalogue = query.internal_catalogue()
    assert len(catalogue) >= 20
    for name, q in catalogue.items():
        for var in q.binds | q.values:
            assert f"?{var}" in q.text, name
    rows = query.select(store, "counts").rows
    assert rows[0]["fundings"] == 38
