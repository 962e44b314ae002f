"""What the explorer's views share inside a worker: names for types and properties, the best
label of each IRI, links from labels, and the French words for a query's columns."""

from __future__ import annotations

from typing import Any

from maillage import query
from maillage.model import DCT, IGEO, MAI, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS

TYPE_LABELS = {
    ORG + "FormalOrganization": "Organisation",
    ORG + "Membership": "Adhésion",
    SCHEMA + "GovernmentOrganization": "Organisme public",
    SCHEMA + "NGO": "Association, fondation",
    SCHEMA + "Corporation": "Entreprise",
    SCHEMA + "Organization": "Organisation",
    SCHEMA + "Project": "Projet",
    SCHEMA + "MonetaryGrant": "Subvention",
    SCHEMA + "MonetaryAmount": "Montant",
    SCHEMA + "FundingScheme": "Dispositif de financement",
    MAI + "Initiative": "Initiative",
    MAI + "Funding": "Financement",
    MAI + "Participation": "Participation",
    MAI + "SourceDocument": "Document source",
    MAI + "KeyFigure": "Chiffre clé",
    IGEO + "TerritoireFrancais": "Territoire",
    IGEO + "Region": "Région",
    IGEO + "Departement": "Département",
    IGEO + "Intercommunalite": "Intercommunalité",
    IGEO + "Commune": "Commune",
    SKOS + "Concept": "Concept",
    SKOS + "ConceptScheme": "Schéma de concepts",
    PROV + "Entity": "Entité (PROV)",
}
PREDICATE_LABELS = {
    RDF + "type": "type",
    SKOS + "prefLabel": "nom",
    SKOS + "altLabel": "autre nom",
    SKOS + "notation": "code",
    SKOS + "broader": "plus large",
    SKOS + "inScheme": "dans le schéma",
    RDFS + "label": "libellé",
    RDFS + "comment": "commentaire",
    SCHEMA + "name": "nom",
    SCHEMA + "description": "description",
    SCHEMA + "funder": "financeur",
    SCHEMA + "fundedItem": "financement de",
    SCHEMA + "amount": "montant",
    SCHEMA + "value": "valeur",
    SCHEMA + "currency": "devise",
    SCHEMA + "unitText": "unité",
    SCHEMA + "areaServed": "territoire d'action",
    SCHEMA + "startDate": "début",
    SCHEMA + "endDate": "fin",
    SCHEMA + "population": "population",
    SCHEMA + "duration": "durée",
    ORG + "member": "membre",
    ORG + "organization": "organisation",
    ORG + "role": "rôle",
    ORG + "classification": "type de structure",
    PROV + "wasDerivedFrom": "source",
    DCT + "title": "titre",
    DCT + "identifier": "identifiant",
    DCT + "type": "genre",
    DCT + "date": "date",
    OWL + "sameAs": "identique à",
    IGEO + "codeINSEE": "code INSEE",
    IGEO + "subdivisionDirecteDe": "subdivision de",
}
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label",
                    SCHEMA + "name", DCT + "title")


def local_name(uri: Any) -> str:
    if not isinstance(uri, str):
        return ""
    tail = uri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[-1]
    return tail or uri


def labels_of(store, uris) -> dict[str, str]:
    """The best label of each IRI: skos:prefLabel, rdfs:label, schema:name, dct:title; French first."""
    out: dict[str, tuple] = {}
    todo = sorted(u for u in uris if isinstance(u, str) and u.startswith(("http://", "https://", "urn:")))
    rank_prop = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
    rows = []
    for start in range(0, len(todo), 400):
        try:
            rows += query.select(store, "labels", values={"x": todo[start:start + 400]}).rows
        except ValueError:          # an IRI the store will not take: label them one by one
            for u in todo[start:start + 400]:
                try:
                    rows += query.select(store, "labels", values={"x": [u]}).rows
                except ValueError:
                    pass
    for r in rows:
        rank = (rank_prop.get(r["p"], 9), {"fr": 0, "": 1, "en": 2}.get(r["lang"] or "", 3), str(r["l"]))
        x = r["x"]
        if x not in out or rank < out[x][0]:
            out[x] = (rank, str(r["l"]))
    return {x: v[1] for x, v in out.items()}


def label_links(store, labels, base: str) -> dict[str, str]:
    """Label -> URI for the labels that name exactly one thing minted under ``base``."""
    found: dict[str, set[str]] = {}
    ordered = sorted({lab for lab in labels if lab})
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        terms = [t for lab in chunk for t in (query.literal(lab, "fr"), query.literal(lab))]
        for r in query.select(store, "label-links", {"base": query.literal(base)}, {"lit": terms}).rows:
            found.setdefault(r["lit"], set()).add(r["s"])
    return {label: next(iter(uris)) for label, uris in found.items() if len(uris) == 1}


def split(value: Any) -> list[str]:
    return [v for v in (value or "").split() if v] if isinstance(value, str) else []


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def prefixes() -> dict[str, str]:
    """Prefixes for Turtle and TriG. Not the base of minted URIs: their local parts hold '/',
    which Turtle would write escaped (id:org\\/x); written whole they read better."""
    from maillage.model import PREFIXES

    return dict(PREFIXES)


def media(fmt: str) -> str:
    from maillage.server.protocol import MEDIA_TYPE

    return MEDIA_TYPE[fmt]


def graph_body(triples: list, fmt: str, base: str) -> bytes:
    """Triples in a format of content negotiation; JSON-LD with the compact context of
    `maillage export -f jsonld`."""
    from maillage.server import results as R

    if fmt == "jsonld":
        from maillage.export import export_rdf

        nt = R.graph_bytes(triples, "nt")
        return export_rdf(nt, "jsonld", base)
    return R.graph_bytes(triples, fmt, prefixes())
