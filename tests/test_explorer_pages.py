"""The explorer answers an analyst honestly (issue 15), over HTTP: French pages, one search, money
that tells unknown from zero (funder pages, the Cher's joint 1.8 M€), what the FSE funds, and no
'0 €' for an unknown amount on any page the home page links to."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from urllib.parse import urljoin, urlparse

import httpx
import pytest

from maillage.query import catalogue
from maillage.server.launch import ServerProcess

ENGLISH_COLUMNS = {"amount_eur", "total_eur", "joint_eur", "with_amount", "funder_a", "funder_b", "cofunders",
                   "initiatives", "recipient", "partner", "measure", "category"}
ENGINE_NOTES = ("Oxigraph", "hash-join", "FILTER(BOUND", "planner", "GROUP_CONCAT", "rdflib", "OPTIONAL")


@pytest.fixture(scope="module")
def http(built, corpus_dir):
    with ServerProcess(built.store_dir, "--timeout", "20", "--corpus", str(corpus_dir)) as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            yield client


def visible(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<textarea\b.*?</textarea>|<details class="all".*?</details>|<pre class="query">.*?</pre>', " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_home_and_canned_pages_speak_french(http):
    home = http.get("/").text
    assert '<html lang="fr">' in home
    for q in catalogue().values():
        if q.name == "stats":
            continue
        assert q.title in unescape(home)
        page = http.get(f"/query/{q.name}").text
        text = visible(page)
        headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
        assert not ENGLISH_COLUMNS & set(headers), (q.name, headers)
        assert not [n for n in ENGINE_NOTES if n in text], q.name
    r = http.get("/query/funded-by")
    assert r.status_code == 400 and "indiquez le champ « Financeur »" in r.text
    r = http.get("/query/who-funds-what", params={"funder": "Personne Nulle Part"})
    assert "aucun résultat pour le champ « Financeur »" in r.text


@pytest.mark.parametrize("given,shown", [
    ("2023-11-27", "27 novembre 2023"), ("2026-12-01T07:22:24+00:00", "1er décembre 2026 à 07 h 22 (UTC)"),
    ("2024-02", "février 2024"), ("2017", "2017"), ("2024-13-01", "2024-13-01"), ("bientôt", "bientôt"), (None, "")])
def test_dates_read_in_french(given, shown):
    from maillage.server.pages import date

    assert date(given) == shown


@pytest.mark.parametrize("given,shown", [("P3Y", "sur 3 ans"), ("P1Y", "sur 1 an"), ("P18M", "sur 18 mois"),
                                         ("2020/2023", "2020–2023"), ("2022", "2022")])
def test_periods_read_in_french(given, shown):
    from maillage.server.pages import period

    assert period(given) == shown


def test_periods_and_amounts_in_french(http):
    page = http.get("/query/who-funds-what", params={"initiative": "Api Truck's"}).text
    assert "sur 3 ans" in page and "P3Y" not in visible(page)
    assert "80\u202f000\u00a0€" in page


def test_search_page_with_two_facets_and_downloads(http):
    page = http.get("/search", params={"q": "pôle emploi"}).text
    assert 'href="/id/org/france-travail"' in page[page.index('id="best"'):]
    r = http.get("/search", params=[("q", "mobilité"), ("theme", "Mobilité"), ("region", "Hauts-de-France")])
    assert r.status_code == 200 and 'class="chosen"' in r.text
    rows = list(csv.DictReader(io.StringIO(http.get("/search", params=[("q", "mobilité"), ("theme", "Mobilité"),
                                                                          ("region", "Hauts-de-France"), ("format", "csv")]).text)))
    assert rows and {"group", "name", "uri", "amount_eur"} <= set(rows[0])
    data = http.get("/search", params={"q": "mobilité", "format": "json"}).json()
    assert data["count"] == len(data["results"]) > 16


def test_the_chers_joint_funding_and_its_rank(http):
    page = http.get("/financeur/org/departement-cher").text
    joint = re.findall(r'<td class="num joint">([^<]+)</td>', page)
    assert joint == ["1\u202f800\u202f000\u00a0€"]
    assert "1er sur" in page
    macif = http.get("/financeur/org/fondation-macif").text
    rank = lambda html: int(re.search(r'id="rank">(\d+)', html).group(1))
    assert rank(page) < rank(macif)
    assert page.count("<svg") >= 4 and "http://" not in "".join(re.findall(r"<svg.*?</svg>", page, flags=re.S)).replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    rows = list(csv.DictReader(io.StringIO(http.get("/financeur/org/departement-cher", params={"format": "csv"}).text)))
    assert [r["amount_eur"] for r in rows] == ["1800000"]
    assert http.get("/beneficiaire/initiative/api-trucks").status_code == 200


def test_what_does_the_fse_fund_in_the_explorer(http):
    page = http.get("/query/who-funds-what", params={"programme": "FSE"}).text
    assert page.count("Fonds social européen (FSE)") >= 2 and "Ferme de la Butte Pinson" in unescape(page)
    scheme = http.get("/id/programme/fse", headers={"Accept": "text/html"}).text
    assert 'id="fundings-scheme"' in scheme and 'href="/id/org/union-europeenne"' in scheme


SPARQL_TOOLS = ("/editor", "/sparql")       # where a query's text and engine notes belong
ENGLISH_WORDS = re.compile(r"\b(needs --param|Search|Results?|Download|No results|Source document|Partners|Funder|Amount)\b")


def svg_text(html: str) -> str:
    return unescape(" ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", html)))


def _one_page(http, path: str) -> tuple[str, httpx.Response]:
    return path, http.get(path, headers={"Accept": "text/html"})


def test_every_page_linked_from_home_is_french_and_never_shows_0_euros_for_an_unknown(http):
    """Walk the explorer from its home page, following every link of every page it reaches
    (the search's facet links one level deep, as their combinations are endless; one passage per
    document, as the others are the same page with another mark): no page shows "0 €" (charts
    included), none has an English column name, an English word or an engine note."""
    from concurrent.futures import ThreadPoolExecutor

    seen, todo, zeros, english, notes = set(), ["/"], [], [], []
    kinds, variants = set(), set()
    with ThreadPoolExecutor(4) as pool:
        while todo:
            batch = []
            for path in dict.fromkeys(todo):
                if path in seen:
                    continue
                if "char=" in path or path.startswith("/editor?"):
                    if path.split("?")[0] in variants:
                        continue
                    variants.add(path.split("?")[0])
                seen.add(path)
                batch.append(path)
            todo = []
            for path, r in pool.map(lambda p: _one_page(http, p), batch):
                if not r.headers.get("content-type", "").startswith("text/html"):
                    continue
                assert r.status_code == 200, (path, r.status_code)
                kinds.add(path.split("/")[1].split("?")[0])
                text = visible(r.text) + " " + svg_text(r.text)
                if re.search(r"(?<![\d\u202f,])0\u00a0€", text):
                    zeros.append(path)
                if not path.startswith(SPARQL_TOOLS):
                    headers = {unescape(h).strip() for h in re.findall(r"<th[^>]*>([^<]*)</th>", r.text)}
                    if ENGLISH_COLUMNS & headers or ENGLISH_WORDS.search(text):
                        english.append((path, sorted(ENGLISH_COLUMNS & headers), ENGLISH_WORDS.findall(text)))
                    if [n for n in ENGINE_NOTES if n in text]:
                        notes.append((path, [n for n in ENGINE_NOTES if n in text]))
                if path.startswith("/search?"):
                    continue                           # facet links of a search: one level only
                for href in re.findall(r'href="([^"]+)"', r.text):
                    url = urlparse(urljoin("http://x" + path, unescape(href)))
                    if url.netloc == "x" and "format=" not in url.query and \
                            not url.path.startswith(("/download", "/static", "/network", "/.well-known/void.")):
                        todo.append(url.path + ("?" + url.query if url.query else ""))
    # it really walked: every kind of page, every initiative, every document
    assert {"", "query", "search", "id", "financeur", "beneficiaire", "def"} <= kinds, kinds
    assert len([p for p in seen if p.startswith("/id/initiative/")]) >= 100
    assert len({p.split("?")[0] for p in seen if p.startswith("/id/document/")}) >= 5
    assert len(seen) > 1000
    assert zeros == [] and english == [] and notes == []


def test_a_source_link_opens_the_document_at_its_passage(http, corpus_dir):
    page = http.get("/id/initiative/api-trucks", headers={"Accept": "text/html"}).text
    link = unescape(re.search(r'<a class="src" href="([^"]+\?char=[^"]+)"', page).group(1))
    assert link.endswith("#passage")
    doc = http.get("/id/document/002_35e265126090b055.txt", params={"char": "44964,45016"},
                   headers={"Accept": "text/html"}).text
    assert '<mark class="passage" id="passage">1 800 000 € CD du Cher et Région Centre-Val de Loire</mark>' in doc
    assert 'id="publisher">Club des territoires<' in doc and 'id="date"><time datetime="2023-11-27">27 novembre 2023</time><' in doc
    assert "licence non précisée" in doc
    # each fact names both its ends
    assert re.search(r"Département du Cher</a> ; <a [^>]+>Région Centre-Val de Loire</a> — finance — "
                     r"<a [^>]+>Garage associatif solidaire en Centre-Val de Loire</a> \(1\u202f800\u202f000\u00a0€\)", doc) \
        or re.search(r"Région Centre-Val de Loire</a> ; <a [^>]+>Département du Cher</a> — finance", doc)
    assert " — pilote, porteur — " in doc or " — pilote — " in doc


def test_without_the_corpus_a_document_page_gives_the_url_and_the_span(built):
    from maillage.server.pages import Site
    from maillage.server.views.entity import job_entity
    from maillage.server.worker import State

    state = State(str(built.store_dir), built.base)
    _, _, body, _ = job_entity(state, 1, uris=[built.base + "document/004_6542941b035b2caf.txt"], fmt="html",
                               site=Site(built.base), char="76505,76818")
    page = body.decode("utf-8")
    assert "<mark" not in page and "n'est pas disponible sur ce serveur" in page
    assert "76\u202f505" in page and "https://nosterritoiresontdelavenir.org" in page


def test_the_vocabulary_and_its_concepts_resolve(http):
    from rdflib import Graph, Literal, URIRef

    page = http.get("/def", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'href="/def/theme/mobilite"' in page.text and "Thématiques" in page.text
    ttl = http.get("/def", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    mobilite = URIRef("https://w3id.org/maillage/def/theme/mobilite")
    skos = "http://www.w3.org/2004/02/skos/core#"
    assert (mobilite, URIRef(skos + "prefLabel"), Literal("Mobilité", lang="fr")) in Graph().parse(data=ttl.text, format="turtle")
    concept = http.get("/def/theme/mobilite", headers={"Accept": "text/html"}).text
    assert "<h1 id=\"entity-label\">Mobilité</h1>" in concept and 'id="concept-uses"' in concept
    one = Graph().parse(data=http.get("/def/theme/mobilite", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (mobilite, URIRef(skos + "inScheme"), URIRef("https://w3id.org/maillage/def/theme/")) in one
    assert http.get("/def/theme/", headers={"Accept": "text/html"}).status_code == 200


def test_the_dataset_page_is_html_for_browsers_and_void_for_machines(http):
    page = http.get("/.well-known/void", headers={"Accept": "text/html"}).text
    for key in ('id="licence"', 'id="publisher"', 'id="created"', 'id="modified"', 'id="counts"', 'href="/download/maillage.ttl"'):
        assert key in page, key
    created = re.search(r'id="created"><time datetime="([^"]+)">([^<]+)</time>', page)
    assert created and created.group(1)[:4] in created.group(2) and re.search(r"\d{1,2}(er)? \w+ \d{4} à \d\d h \d\d", created.group(2))
    ttl = http.get("/.well-known/void", headers={"Accept": "text/turtle"}).text
    assert "dcterms:created" in ttl or "dct:created" in ttl or "purl.org/dc/terms/created" in ttl


def test_a_funding_is_returned_with_its_amount(http):
    from rdflib import Graph, URIRef

    g = Graph().parse(data=http.get("/id/funding/api-trucks-fondation-macif-fonctionnement",
                                    headers={"Accept": "text/turtle"}).text, format="turtle")
    values = [float(o) for o in g.objects(None, URIRef("https://schema.org/value"))]
    assert values == [20000.0]


def _breakdown(http, path: str, key: str) -> list[dict]:
    r = http.get(path, params={"format": "csv", "par": key})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), (path, key, r.text)
    return list(csv.DictReader(io.StringIO(r.text)))


def test_funder_and_recipient_pages_break_down_by_kind_with_a_chart_and_a_download(http):
    """Each breakdown of a funder's page (year, theme, région, département, kind of recipient) and
    of a recipient's (… funder, kind of funder) has its chart and its download, and the download
    adds up to the page's totals; an unknown amount is an empty cell, never 0."""
    for path, keys, single in (("/financeur/org/etat", ["theme", "region", "departement", "kind"], ["kind"]),
                               ("/financeur/org/departement-cher", ["kind"], ["kind"]),
                               ("/beneficiaire/initiative/garage-associatif-solidaire-gas18",
                                ["theme", "region", "departement", "funder", "funder-kind"], [])):
        page = http.get(path).text
        years = re.search(r'<section class="breakdown years-block" id="by-year">(.*?)</section>', page, flags=re.S)
        assert years and "format=csv" in years.group(1), path       # by year: the years block, its own download
        fundings = list(csv.DictReader(io.StringIO(http.get(path, params={"format": "csv"}).text)))
        for key in keys:
            section = re.search(rf'<section class="breakdown" id="by-{key}">(.*?)</section>', page, flags=re.S)
            assert section and '<svg' in section.group(1), (path, key)
            assert f'href="?format=csv&amp;par={key}"' in section.group(1) and f"par={key}" in section.group(1)
            rows = _breakdown(http, path, key)
            assert rows and all(int(r["with_amount"]) + int(r["without_amount"]) == int(r["fundings"]) for r in rows)
            assert not [r for r in rows if "0" in (r["alone_eur"], r["joint_eur"])], (path, key)
            labels = [r["value"] for r in rows]
            assert all(label in unescape(section.group(1)) or label[:33] in unescape(section.group(1)) for label in labels)
            if key in single:          # each funding under one group: the groups add up to the whole
                assert sum(int(r["fundings"]) for r in rows) == len(fundings), (path, key)
                known = sum(float(r["alone_eur"] or 0) + float(r["joint_eur"] or 0) for r in rows)
                assert known == sum(float(f["amount_eur"]) for f in fundings if f["amount_eur"])
    # the Cher gave one funding, jointly, to an initiative piloted by an ACI
    assert _breakdown(http, "/financeur/org/departement-cher", "kind") == [
        {"value": "Atelier et chantier d'insertion", "fundings": "1", "with_amount": "1", "without_amount": "0",
         "alone_eur": "", "joint_eur": "1800000"}]
    kinds = {r["value"] for r in _breakdown(http, "/beneficiaire/initiative/garage-associatif-solidaire-gas18", "funder-kind")}
    assert {"Département (conseil départemental)", "Région (conseil régional)"} <= kinds
    r = http.get("/financeur/org/etat", params={"format": "csv", "par": "nimporte"})
    assert r.status_code == 400 and "kind" in r.text


def test_what_does_the_fse_fund_answers_alike_from_the_cli_and_the_explorer(built, http):
    """"What does the FSE fund?" asked four ways — the canned question and the search, from the
    command line and from the explorer — and the scheme's own page: the same fundings, the same
    amounts (an unknown one unknown everywhere)."""
    from typer.testing import CliRunner

    from maillage.cli import app

    def cli(*args: str) -> str:
        r = CliRunner().invoke(app, ["--store", str(built.store_dir), *args])
        assert r.exit_code == 0, r.output
        return r.stdout

    def pairs(rows, name="initiative", amount="amount_eur") -> set:
        return {(r[name].split(" → ")[-1], str(int(float(r[amount]))) if r[amount] not in (None, "") else None) for r in rows}

    asked = pairs(csv.DictReader(io.StringIO(cli("query", "who-funds-what", "--param", "programme=FSE", "-f", "csv"))))
    assert len(asked) >= 2 and ("Ferme de la Butte Pinson", None) in asked and any(a for _, a in asked)
    page = pairs(csv.DictReader(io.StringIO(http.get("/query/who-funds-what", params={"programme": "FSE", "format": "csv"}).text)))
    searched = pairs(json.loads(cli("search", "FSE", "--group", "financement", "-f", "json"))["rows"], "name")
    found = pairs(http.get("/search", params={"q": "FSE", "group": "financement", "format": "json"}).json()["results"], "name")
    assert asked == page == searched == found
    scheme = http.get("/id/programme/fse", headers={"Accept": "text/html"}).text
    table = scheme[scheme.index('id="fundings-scheme"'):scheme.index("</table>", scheme.index('id="fundings-scheme"'))]
    for initiative, _amount in asked:
        assert initiative in unescape(table)
    assert table.count("montant non précisé") == sum(1 for _, a in asked if a is None)


@pytest.mark.parametrize("path,status,says", [
    ("/nimporte", 404, "cette page n'existe pas"),
    ("/id/org/personne", 404, "rien n'est connu de"),
    ("/financeur/org/personne", 404, "rien n'est connu de"),
    ("/resource?uri=pas%20une%20iri", 400, "ce n'est pas une IRI valable"),
    ("/search?q=zzzzqqq", 200, "0 résultat pour « zzzzqqq »"),
    ("/query/initiatives-in?territory=Atlantide", 400, "aucun résultat pour le champ « Territoire »"),
    ("/financeur/org/etat?format=xml", 406, "formats : html, csv ou json"),
    # regression: these two pages showed the store's English reason for a value it refused
    ("/semblables?initiative=https://exemple.org/a%20b%3E", 400, "n'est pas une IRI valable"),
    ("/annees?financeur=https://exemple.org/a%20b%3E", 400, "n'est pas une IRI valable"),
])
def test_errors_and_empty_states_speak_french(http, path, status, says):
    r = http.get(path, headers={"Accept": "text/html"})
    text = visible(r.text)
    assert r.status_code == status and says in text, (r.status_code, text[:300])
    assert not ENGLISH_WORDS.search(text) and not re.search(r"\b(found|invalid|scheme|error|not)\b", text, flags=re.I), text[:300]
