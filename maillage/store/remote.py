"""Any SPARQL 1.1 endpoint as a store, through SPARQLWrapper: `maillage query NAME --endpoint URL`.

``RemoteStore`` has the interface the canned queries use on ``OxigraphStore``:
``select(query, bindings) -> QueryResult`` (values converted exactly as the local store does:
IRIs and strings as ``str``, numbers as ``int`` / ``Decimal`` / ``float``) and ``nquads()``.
Parameters are bound the same way as locally (``maillage.store.with_values``: a VALUES block of
escaped RDF terms), so a canned query sends the same text to the endpoint as it runs locally.
The endpoint is expected to see the union of its graphs as the default graph, as
``maillage serve`` and Virtuoso do.
"""

from __future__ import annotations

import urllib.error
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from maillage.store.base import QueryError, QueryResult
from maillage.store.terms import json_term, json_value, with_values

USER_AGENT = "maillage (SPARQLWrapper)"


class RemoteError(QueryError):
    """The endpoint refused the query or could not be reached (the message says which, with the
    endpoint's own message). A QueryError, so `maillage query` reports it like a bad parameter."""


KNOWN_ROW_CAPS = frozenset({1000, 10000, 100000, 1000000})


class RemoteStore:
    """A SPARQL 1.1 endpoint, queried by POST (long queries would not fit in a URL)."""

    name = "remote"

    def __init__(self, endpoint: str, *, timeout: float = 60.0, page_size: int = 5000,
                 headers: Mapping[str, str] | None = None):
        if not endpoint.startswith(("http://", "https://")):
            raise RemoteError(f"not an endpoint URL: {endpoint!r} (e.g. http://127.0.0.1:8000/sparql)")
        self.endpoint = endpoint
        self.timeout = timeout
        self.page_size = page_size
        self.headers = dict(headers or {})
        self.path = None

    # ------------------------------------------------------------ requests

    def _json(self, text: str) -> dict:
        from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        sw = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        sw.setMethod(POST)
        sw.setOnlyConneg(True)          # Accept only: some endpoints refuse unknown format parameters
        sw.setReturnFormat(JSON)
        sw.setTimeout(max(1, int(round(self.timeout))))
        for key, value in self.headers.items():
            sw.addCustomHttpHeader(key, value)
        sw.setQuery(text)
        # SPARQLWrapper guesses the query form with a regex that also reads comments (a comment
        # saying "add up" makes it an ADD update, sent as update=…): select() only sends SELECTs
        sw.queryType = SELECT
        try:
            return sw.queryAndConvert()
        except SPARQLWrapperException as exc:
            raise RemoteError(f"{self.endpoint} refused the query: {_message(exc)}") from None
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            raise RemoteError(f"{self.endpoint} answered {exc.code} {exc.reason}: {body[:500]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteError(f"cannot reach {self.endpoint}: {reason}") from None
        except ValueError as exc:      # not JSON
            raise RemoteError(f"{self.endpoint} did not answer SPARQL JSON results: {exc}") from None

    # ------------------------------------------------------------ the store interface

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        data = self._json(with_values(query, bindings))
        if "boolean" in data:
            raise ValueError("not a SELECT query")
        variables = list(data.get("head", {}).get("vars", []))
        rows = [{v: json_value(b.get(v)) for v in variables} for b in data.get("results", {}).get("bindings", [])]
        if len(rows) in KNOWN_ROW_CAPS:
            # Virtuoso's ResultSetMaxRows (10,000 by default) cuts results without an error
            warnings.warn(f"{self.endpoint} answered exactly {len(rows):,} rows, a known server row cap: "
                          "the result may be truncated", RuntimeWarning, stacklevel=2)
        return QueryResult(variables, rows)

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        data = self._json(with_values(query, bindings))
        if "boolean" not in data:
            raise ValueError("not an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str, bindings: Mapping[str, Any] | None = None) -> list:
        body = self._post({"query": with_values(query, bindings)}, "application/n-triples")
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def update(self, sparql: str) -> None:
        self._post({"update": sparql}, "*/*")

    def _post(self, form: Mapping[str, str], accept: str) -> bytes:
        import urllib.parse
        import urllib.request

        request = urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(form).encode(), method="POST",
                                         headers={"Accept": accept, "User-Agent": USER_AGENT, **self.headers,
                                                  "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            raise RemoteError(f"{self.endpoint} answered {exc.code} {exc.reason}: {body[:500]}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise RemoteError(f"cannot reach {self.endpoint}: {getattr(exc, 'reason', exc)}") from None

    def graphs(self) -> list[str]:
        return sorted(r["g"] for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows)

    def quads(self, graph: str | None = None) -> Iterator:
        quads = ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS)
        return (q for q in quads if graph is None or (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph))

    def dump(self, fmt: str = "nq", graph: str | None = None) -> bytes:
        from maillage.store.oxigraph import FORMATS

        if graph is not None:
            return ox.serialize([q.triple for q in self.quads(graph)], format=FORMATS[fmt])
        return ox.serialize(list(self.quads()), format=FORMATS[fmt])

    def nquads(self) -> bytes:
        """Every quad of the endpoint's named graphs (or, if it has none, its default graph),
        read graph by graph in pages that stay under a server's row cap. Pages are read without
        ORDER BY (sorting the whole graph for every page would cost more than the dump) and
        checked against each graph's count; on a mismatch the graph is read again in a stable
        order."""
        graphs = [r["g"] for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows]
        quads: list = []
        if graphs:
            for g in sorted(graphs):
                term = ox.NamedNode(g)
                count = int(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term} {{ ?s ?p ?o }} }}").rows[0]["n"])
                found = self._pages(f"GRAPH {term} {{ ?s ?p ?o }}", term, "")
                if len(found) != count:
                    found = self._pages(f"GRAPH {term} {{ ?s ?p ?o }}", term,
                                        "ORDER BY STR(?s) STR(?p) STR(?o) LANG(?o) STR(DATATYPE(?o))")
                if len(found) != count:
                    raise RemoteError(f"{self.endpoint}: graph <{g}> gave {len(found)} distinct triples page by page, "
                                      f"but counts {count}")
                quads.extend(found)
        else:
            quads = self._pages("?s ?p ?o", ox.DefaultGraph(), "")
        return "".join(f"{q} .\n" for q in quads).encode("utf-8")

    def _pages(self, pattern: str, graph, order: str) -> list:
        seen: dict = {}
        offset = 0
        while True:
            text = f"SELECT ?s ?p ?o WHERE {{ {pattern} }} {order} LIMIT {self.page_size} OFFSET {offset}"
            bindings = self._json(text).get("results", {}).get("bindings", [])
            for b in bindings:
                quad = ox.Quad(json_term(b["s"]), json_term(b["p"]), json_term(b["o"]), graph)
                seen.setdefault(str(quad), quad)
            if len(bindings) < self.page_size:
                return list(seen.values())
            offset += self.page_size

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(rows[0]["n"]) if rows else 0

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"


def _message(exc: Exception) -> str:
    """SPARQLWrapper's exception text, reduced to the endpoint's own message."""
    text = str(exc)
    marker = "Response:\n"
    if marker in text:
        body = text.split(marker, 1)[1].strip()
        if body.startswith(("b'", 'b"')):
            try:
                import ast

                body = ast.literal_eval(body).decode("utf-8", "replace")
            except (ValueError, SyntaxError):
                pass
        return body.strip()[:500]
    return text[:500]
