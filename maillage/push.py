"""`maillage push`: copy the built graph into a SPARQL store through the SPARQL 1.1 Graph Store
HTTP Protocol, one named graph per request (PUT replaces it: pushing twice adds nothing twice)."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox


@dataclass
class PushReport:
    graphs: int
    triples: int
    seconds: float


def _opener(url: str, user: str | None, password: str | None):
    handlers = []
    if user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def push(store: ox.Store, gsp_url: str, *, user: str | None = None, password: str | None = None,
         progress=None) -> PushReport:
    say = progress or (lambda _m: None)
    opener = _opener(gsp_url, user, password)
    start = time.perf_counter()
    graphs = triples = 0
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        count = body.count(b"\n")
        url = f"{gsp_url}{'&' if '?' in gsp_url else '?'}{urllib.parse.urlencode({'graph-uri': graph.value, 'graph': graph.value})}"
        request = urllib.request.Request(url, data=body, method="PUT",
                                         headers={"Content-Type": "text/turtle; charset=utf-8"})
        try:
            with opener.open(request, timeout=600) as response:
                if response.status not in (200, 201, 204):
                    raise RuntimeError(f"{gsp_url}: graph {graph.value}: HTTP {response.status}")
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{gsp_url}: graph {graph.value}: HTTP {exc.code} {exc.reason}") from None
        graphs += 1
        triples += count
        say(f"{graphs} graphs, {triples:,} triples")
    return PushReport(graphs, triples, time.perf_counter() - start)
