"""Similar initiatives read every initiative of the graph (commit 9ee4c95): its features and places
queries took all initiatives sharing a theme or public, through a UNION with FILTER NOT EXISTS that
Oxigraph built over the whole graph; on the bench's 1 M-triple graph one initiative page took over
3 minutes. Now the scorer asks for its 300 best candidates (similar-candidates.rq) and reads the
features and places of those only. (Its time is in `maillage bench`: the `similar` step.)"""

from __future__ import annotations

from maillage import query, similar
from maillage.loaders.synthetic import synthetic_graph
from maillage.store import OxigraphStore


def test_the_scorer_reads_only_its_candidates(tmp_path, monkeypatch):
    names = synthetic_graph(60_000, tmp_path / "g.nq")
    store = OxigraphStore.from_nquads_file(tmp_path / "g.nq")
    initiatives = query.select(store, "similar-frequencies").rows[0]["initiatives"]
    assert int(initiatives) > 1000                      # the graph has many more initiatives than candidates
    asked: dict[str, int] = {}
    real = query.select_chunked

    def counting(store_, name, var, terms, *args, **kwargs):
        terms = list(terms)
        asked[name] = asked.get(name, 0) + len(terms)
        return real(store_, name, var, terms, *args, **kwargs)

    monkeypatch.setattr(query, "select_chunked", counting)
    top = similar.similar(store, names["initiative"], 5)
    assert len(top) == 5
    assert asked["similar-features"] <= 301 and asked["similar-places"] <= 301
