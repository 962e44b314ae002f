"""The partner-network page (/network, /network/…): the cooperation network is computed once per
graph in a process of its own, and each page (focus, layout, HTML) is written in another; the
event loop only holds the computed network between them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage.server.errors import Refused
from maillage.server.pool import PoolError
from maillage.server.responses import page_error

# the network page inlines vis-network (its own <meta> policy says the same)
NETWORK_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
               "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
FAVICON_LINK = b'<link rel="icon" href="data:,">'


class _OnceStore:
    """A store that answers each distinct query once (within one job): the cooperation and
    bipartite projections read the same participation rows."""

    def __init__(self, store):
        self.store = store
        self.name = store.name
        self._seen: dict = {}

    def select(self, query: str, bindings=None):
        key = (query, tuple(sorted((k, str(v)) for k, v in (bindings or {}).items())))
        if key not in self._seen:
            self._seen[key] = self.store.select(query, bindings)
        return self._seen[key]

    def __getattr__(self, name):
        return getattr(self.store, name)


def job_cooperation(state, gen):
    """The cooperation network (graph.projections, annotated by graph.metrics) and, for each
    initiative, the organisations that take part in it or fund it: computed once per graph."""
    from maillage.graph import metrics, projections

    store = _OnceStore(state.wrapped(gen))
    g = metrics.annotate(projections.cooperation(store))
    b = projections.bipartite(store)
    members = {n: sorted(b.neighbors(n)) for n, d in b.nodes(data=True) if d.get("bipartite") == "initiative"}
    labels = {n: d.get("label") for n, d in b.nodes(data=True) if d.get("bipartite") == "initiative"}
    return g, members, labels


def job_network_page(state, gen, *, network, focus: str | None, max_nodes: int, site=None):
    """The partner-network page (viz.network), whole or around ``focus``: an organisation (it and
    the organisations it works with, it selected) or an initiative (those taking part in it or
    funding it). With ``site``, each body links to its page of the explorer and to its network,
    and the page links back to the explorer."""
    import networkx as nx

    from maillage.viz.network import write_network_page

    graph, members, labels = network
    title = "Réseau des partenaires"
    if focus is not None:
        if focus in graph:
            keep = set(nx.ego_graph(graph, focus, radius=1).nodes)
            name = graph.nodes[focus].get("label") or focus
        elif focus in members:
            keep = set(members[focus])
            name = labels.get(focus) or focus
        else:
            raise Refused(404, f"<{focus}> n'est ni un organisme ni une initiative du réseau des partenaires")
        graph = graph.subgraph(keep).copy()
        title = f"Réseau autour de {name}"

    with tempfile.TemporaryDirectory() as tmp:
        links = (lambda uri: (site.local_path(uri), site.network_path(uri))) if site is not None else None
        path = write_network_page(graph, Path(tmp) / "network.html", title=title, max_nodes=max_nodes or None,
                                  links=links, home="/" if site is not None else None, focus=focus)
        return path.read_bytes()


async def network(request: Request) -> Response:
    server = request.app.state.server
    rest = request.path_params.get("rest")
    focus = server.config.base + unquote(rest) if rest else None
    gen = server.generation()
    timeout = server.config.batch_timeout

    async def make():
        computed = await server.pages.get(("cooperation", gen), lambda: server.pool.run_batch("cooperation", gen, timeout))
        return await server.pool.run_batch("network_page", gen, timeout, network=computed, focus=focus,
                                           max_nodes=server.config.network_max_nodes, site=server.site)

    try:
        body = await server.pages.get(("network", gen, focus), make)
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    # no favicon request from the page (its policy allows no image but data: ones)
    body = body.replace(b'<meta charset="utf-8">', b'<meta charset="utf-8">\n' + FAVICON_LINK, 1)
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": NETWORK_CSP, "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer"})


ROUTES = [Route("/network", network), Route("/network/{rest:path}", network)]
JOBS = {"cooperation": job_cooperation, "network_page": job_network_page}
