"""Validated records -> RDF quads: one named graph per source document, stable readable URIs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from maillage import model
from maillage.loaders.records import RecordSet, SourceFile, Span
from maillage.loaders.territories import Cog, Territory
from maillage.model import Lit, Terms
from maillage.store import GraphWriter, QuadWriter

MAI, ORG, SCHEMA, IGEO = Terms(model.MAI), Terms(model.ORG), Terms(model.SCHEMA), Terms(model.IGEO)
DCTERMS, OWL, PROV, RDF = Terms(model.DCT), Terms(model.OWL), Terms(model.PROV), Terms(model.RDF)
RDFS, SKOS, XSD = Terms(model.RDFS), Terms(model.SKOS), Terms(model.XSD)

LEVEL_CLASS = {
    "region": IGEO.Region, "departement": IGEO.Departement, "epci": IGEO.Intercommunalite,
    "commune": IGEO.Commune, "qpv": MAI.QuartierPrioritaire, "quartier": MAI.Quartier,
}
# Extra schema.org types, so generic linked-data clients see what kind of body this is.
KIND_TYPES = model.KIND_SCHEMA_TYPES


@dataclass(frozen=True)
class Uris:
    """Every URI maillage mints, under one configurable base (see maillage.model.mint)."""

    base: str

    def _u(self, kind: str, *key) -> str:
        return model.mint(kind, *key, base=self.base)

    def org(self, oid: str) -> str: return self._u("org", oid)
    def initiative(self, iid: str) -> str: return self._u("initiative", iid)
    def programme(self, pid: str) -> str: return self._u("programme", pid)
    def participation(self, ini: str, org: str, role: str) -> str: return self._u("participation", ini, org, role)
    def membership(self, org: str, of: str) -> str: return self._u("membership", org, of)
    def funding(self, key: str) -> str: return self._u("funding", key)
    def document(self, file: str) -> str: return self._u("document", file)
    def graph(self, name: str) -> str: return self._u("graph", name)
    def passage(self, file: str, span: Span) -> str: return self._u("passage", file, span[0], span[1])
    def territory(self, ref: str) -> str: return self._u("territory", ref)

    @property
    def territories_graph(self) -> str: return self.graph(model.TERRITORIES_GRAPH)
    @property
    def common_graph(self) -> str: return self.graph(model.COMMON_GRAPH)


def _date_literal(text: str) -> Lit:
    dtype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return Lit(text, None, dtype)


def _amount(value: Decimal) -> Decimal:
    return value  # the writer spells every amount one way (maillage.store.decimal_text)


def concept(scheme: str, code: str) -> str:
    return model.concept_iri(scheme, code)


class _GraphWriter:
    """Adds triples for one source file to its named graph."""

    def __init__(self, graph: GraphWriter, uris: Uris, doc_file: str | None):
        self.g = graph
        self.uris = uris
        self.doc_file = doc_file

    def add(self, s, p, o) -> None:
        self.g.add(s, p, o)

    def label(self, s, text: str, *, pref: bool = True) -> None:
        self.add(s, RDFS.label, Lit(text, "fr"))
        self.add(s, SKOS.prefLabel if pref else SKOS.altLabel, Lit(text, "fr"))

    def provenance(self, s, spans: list[Span] | None) -> None:
        for span in spans or []:
            self.add(s, PROV.wasDerivedFrom, self.uris.passage(self.doc_file, span))


def build_dataset(records: RecordSet, cog: Cog, base: str, extra_refs: set[str] = frozenset()) -> QuadWriter:
    """Turn validated records into quads: one named graph per document, plus common,
    territories and the vocabulary."""
    uris = Uris(base)
    ds = QuadWriter()
    for path in model.vocabulary_files():
        ds.add_turtle(path, model.ONTOLOGY_IRI)

    declared: set[str] = set()
    used_refs: set[str] = set()
    funding_keys: set[str] = set()  # across files: parts of one document share its graph
    for f in records.files:
        name = Path(f.doc_file).stem if f.doc_file else model.COMMON_GRAPH
        w = _GraphWriter(ds.graph(uris.graph(name)), uris, f.doc_file)
        if f.doc_file:
            _document(w, f)
        used_refs |= _file_triples(w, f, records, declared, funding_keys)

    # territories used by loaded sources live in the one territories graph too: a triple stated
    # in two named graphs would be counted twice by queries over their union
    _territories(ds.graph(uris.territories_graph), uris, cog, used_refs | set(extra_refs))
    add_territory_closure(ds, uris.territories_graph)
    return ds


def closure_pairs(parents: dict, nodes=()) -> set[tuple]:
    """(t, a) for every territory t and every a that t is or lies within (reflexive-transitive
    closure of ``parents``: t -> its direct containers)."""
    def up(t) -> set:
        seen, todo = {t}, [t]
        while todo:  # a walk, not a recursion: a cycle in hand-written records ends it too
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    every = set(nodes) | set(parents) | {p for ps in parents.values() for p in ps}
    return {(t, a) for t in every for a in up(t)}


def add_territory_closure(ds: QuadWriter, graph: str) -> int:
    """Materialise mai:withinOrSelf (see the ontology) from the mai:within links of every named
    graph, once, in the territories graph: queries join on one triple pattern instead of
    evaluating ``mai:within*`` (a path Oxigraph cannot start from the bound end when the
    territory comes from a VALUES block). Returns the number of triples added."""
    parents: dict = {}
    nodes = {s for s, _ in ds.match(RDF.type, IGEO.TerritoireFrancais)}
    for s, o in ds.match(MAI.within):
        parents.setdefault(s, set()).add(o)
    g = ds.graph(graph)
    pairs = closure_pairs(parents, nodes)
    for t, a in sorted(pairs):
        g.add(t, MAI.withinOrSelf, a)
    return len(pairs)


def _document(w: _GraphWriter, f: SourceFile) -> None:
    info = f.records.document
    doc = w.uris.document(info.file)
    w.add(doc, RDF.type, MAI.SourceDocument)
    w.add(doc, DCTERMS.identifier, Lit(info.file))
    w.add(doc, DCTERMS.title, Lit(info.title, "fr"))
    w.add(doc, RDFS.label, Lit(info.title, "fr"))
    w.add(doc, DCTERMS.type, Lit(info.kind))
    if info.publisher:
        w.add(doc, DCTERMS.publisher, Lit(info.publisher))
    if info.date:
        w.add(doc, DCTERMS.issued, Lit(info.date, None, {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(info.date), XSD.date)))
    if info.url:
        w.add(doc, SCHEMA.url, info.url)
    if info.licence:
        w.add(doc, DCTERMS.license, info.licence if info.licence.startswith(("http://", "https://")) else Lit(info.licence))
    graph_iri = w.g.name
    w.add(graph_iri, RDF.type, PROV.Entity)
    w.add(graph_iri, PROV.wasDerivedFrom, doc)


def _file_triples(w: _GraphWriter, f: SourceFile, rs: RecordSet, declared: set[str], used_keys: set[str]) -> set[str]:
    r = f.records
    u = w.uris
    refs: set[str] = set()

    for o in r.organisations:
        s = u.org(o.id)
        if o.id not in declared:  # the merged organisation, written once
            declared.add(o.id)
            merged = rs.organisations[o.id]
            w.add(s, RDF.type, ORG.FormalOrganization)
            if o.kind in KIND_TYPES:
                w.add(s, RDF.type, KIND_TYPES[o.kind])
            w.label(s, merged.name)
            w.add(s, ORG.classification, concept("typology", merged.kind))
            if merged.territory:
                w.add(s, MAI.territory, u.territory(merged.territory))
                refs.add(merged.territory)
            for alias in merged.aliases:
                w.add(s, SKOS.altLabel, Lit(alias, "fr"))
        if o.identifiers:
            for key, prop in (("siren", MAI.siren), ("siret", MAI.siret), ("rna", MAI.rna)):
                if getattr(o.identifiers, key):
                    w.add(s, prop, Lit(getattr(o.identifiers, key)))
        w.provenance(s, o.source)

    for t in r.territories:
        s = u.territory(t.id)
        w.add(s, RDF.type, LEVEL_CLASS[t.level])
        w.add(s, RDF.type, IGEO.TerritoireFrancais)
        w.label(s, t.name)
        w.add(s, MAI.level, Lit(t.level))
        if t.code:
            w.add(s, IGEO.codeINSEE, Lit(t.code))
        w.add(s, MAI.within, u.territory(t.within))
        refs.add(t.within)
        w.provenance(s, t.source)

    for ini in r.initiatives:
        s = u.initiative(ini.id)
        w.add(s, RDF.type, MAI.Initiative)
        w.add(s, RDF.type, SCHEMA.Project)
        w.label(s, ini.name)
        w.add(s, SCHEMA.name, Lit(ini.name, "fr"))
        for alias in ini.aliases:
            w.add(s, SKOS.altLabel, Lit(alias, "fr"))
        if ini.summary:
            w.add(s, SCHEMA.description, Lit(ini.summary, "fr"))
        if ini.start:
            w.add(s, SCHEMA.startDate, _date_literal(ini.start))
        if ini.end:
            w.add(s, SCHEMA.endDate, _date_literal(ini.end))
        for ref in ini.territories:
            w.add(s, SCHEMA.areaServed, u.territory(ref))
            refs.add(ref)
        for code in ini.themes:
            w.add(s, MAI.theme, concept("themes", code))
        for code in ini.publics:
            w.add(s, MAI.public, concept("publics", code))
        for n, fig in enumerate(ini.figures, start=1):
            fs = u._u("figure", ini.id, n)
            w.add(s, MAI.keyFigure, fs)
            w.add(fs, RDF.type, MAI.KeyFigure)
            w.add(fs, SCHEMA.name, Lit(fig.label, "fr"))
            w.add(fs, SCHEMA.value, _amount(fig.value))
            w.add(fs, SCHEMA.unitText, Lit(fig.unit))
            if fig.year:
                w.add(fs, DCTERMS.date, Lit(str(fig.year), None, XSD.gYear))
            w.provenance(fs, fig.source)
        w.provenance(s, ini.source)

    for p in r.participations:
        s = u.participation(p.initiative, p.organisation, p.role)
        w.add(s, RDF.type, MAI.Participation)
        w.add(s, ORG.member, u.org(p.organisation))
        w.add(s, ORG.organization, u.initiative(p.initiative))
        w.add(s, ORG.role, concept("roles", p.role))
        w.provenance(s, p.source)

    for m in r.memberships:
        s = u.membership(m.organisation, m.of)
        w.add(s, RDF.type, ORG.Membership)
        w.add(s, ORG.member, u.org(m.organisation))
        w.add(s, ORG.organization, u.org(m.of))
        w.add(s, ORG.role, concept("roles", "membre"))
        w.provenance(s, m.source)

    for p in r.programmes:
        s = u.programme(p.id)
        w.add(s, RDF.type, SCHEMA.FundingScheme)
        w.label(s, p.name)
        w.add(s, SCHEMA.name, Lit(p.name, "fr"))
        for o in p.launched_by:
            w.add(s, MAI.launchedBy, u.org(o))
        if p.year:
            w.add(s, DCTERMS.date, Lit(str(p.year), None, XSD.gYear))
        w.provenance(s, p.source)

    for fu in r.fundings:
        target = fu.initiative or fu.recipient
        parts = [target, "+".join(sorted(fu.funder))]
        if fu.purpose:
            parts.append(fu.purpose)
        when = fu.year or (fu.period.replace("/", "-") if fu.period else None)
        if when:
            parts.append(str(when))
        key = model.slug("--".join(str(p) for p in parts), limit=None)
        n = 2
        unique = key
        while unique in used_keys:
            unique, n = f"{key}-{n}", n + 1
        used_keys.add(unique)
        s = u.funding(unique)
        w.add(s, RDF.type, MAI.Funding)
        w.add(s, RDF.type, SCHEMA.MonetaryGrant)
        for funder in fu.funder:
            w.add(s, SCHEMA.funder, u.org(funder))
        if fu.initiative:
            w.add(s, SCHEMA.fundedItem, u.initiative(fu.initiative))
        if fu.recipient:
            w.add(s, MAI.recipient, u.org(fu.recipient))
        if fu.amount_eur is not None:
            amount = u._u("amount", unique)
            w.add(s, SCHEMA.amount, amount)
            w.add(amount, RDF.type, SCHEMA.MonetaryAmount)
            w.add(amount, SCHEMA.value, _amount(fu.amount_eur))
            w.add(amount, SCHEMA.currency, Lit("EUR"))
        if fu.year:
            w.add(s, MAI.period, Lit(str(fu.year)))
            w.add(s, SCHEMA.startDate, Lit(str(fu.year), None, XSD.gYear))
            w.add(s, SCHEMA.endDate, Lit(str(fu.year), None, XSD.gYear))
        elif fu.period:
            a, b = fu.period.split("/")
            w.add(s, MAI.period, Lit(fu.period))
            w.add(s, SCHEMA.startDate, Lit(a, None, XSD.gYear))
            w.add(s, SCHEMA.endDate, Lit(b, None, XSD.gYear))
        elif fu.duration:
            w.add(s, MAI.period, Lit(fu.duration))
            w.add(s, SCHEMA.duration, Lit(fu.duration, None, XSD.duration))
        if fu.purpose:
            w.add(s, MAI.purpose, concept("purposes", fu.purpose))
        if fu.programme:
            w.add(s, MAI.fundingScheme, u.programme(fu.programme))
        if fu.nature:
            w.add(s, MAI.nature, Lit(fu.nature))
        w.provenance(s, fu.source)
    return refs


def _territories(g: GraphWriter, u: Uris, cog: Cog, used_refs: set[str]) -> None:
    """All régions and départements, plus the communes and EPCI the records use and what
    contains them: the full COG stays out of the graph unless it is needed."""
    cog_refs = [r for r in sorted(used_refs) if not r.startswith(("qpv:", "quartier:"))]
    wanted = {t.ref: t for t in [*cog.regions(), *cog.departements(), *cog.closure(cog_refs)]}
    for t in wanted.values():
        _territory(g, u, t)


def _territory(g: GraphWriter, u: Uris, t: Territory) -> None:
    s = u.territory(t.ref)
    g.add(s, RDF.type, LEVEL_CLASS[t.level])
    g.add(s, RDF.type, IGEO.TerritoireFrancais)
    g.add(s, RDFS.label, Lit(t.name, "fr"))
    g.add(s, SKOS.prefLabel, Lit(t.name, "fr"))
    g.add(s, IGEO.codeINSEE, Lit(t.code))
    g.add(s, MAI.level, Lit(t.level))
    g.add(s, OWL.sameAs, t.insee_uri)
    if t.siren:
        g.add(s, MAI.siren, Lit(t.siren))
    if t.population is not None:
        g.add(s, SCHEMA.population, int(t.population))
    if t.nature:
        g.add(s, MAI.epciNature, Lit(t.nature))
    for parent in t.parents:
        p = u.territory(parent)
        g.add(s, MAI.within, p)
        # INSEE's direct-subdivision link for the administrative chain commune -> dép. -> région
        if parent.startswith(("dep:", "reg:")) and t.level in ("commune", "departement"):
            g.add(s, IGEO.subdivisionDirecteDe, p)
