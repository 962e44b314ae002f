"""What the explorer's views share inside a worker: names for types and properties, the best
label of each IRI, links from labels, and the French words for a query's columns."""

from __future__ import annotations

from typing import Any

from maillage import query

TYPE_LABELS = {
    "http://www.w3.org/ns/org#FormalOrganization": "Organisation",
    "http://www.w3.org/ns/org#Membership": "Adhésion",
    "https://schema.org/GovernmentOrganization": "Organisme public",
    "https://schema.org/NGO": "Association, fondation",
    "https://schema.org/Corporation": "Entreprise",
    "https://schema.org/Organization": "Organisation",
    "https://schema.org/Project": "Projet",
    "https://schema.org/MonetaryGrant": "Subvention",
    "https://schema.org/MonetaryAmount": "Montant",
    "https://schema.org/FundingScheme": "Dispositif de financement",
    "https://w3id.org/maillage/def#Initiative": "Initiative",
    "https://w3id.org/maillage/def#Funding": "Financement",
    "https://w3id.org/maillage/def#Participation": "Participation",
    "https://w3id.org/maillage/def#SourceDocument": "Document source",
    "https://w3id.org/maillage/def#KeyFigure": "Chiffre clé",
    "http://rdf.insee.fr/def/geo#TerritoireFrancais": "Territoire",
    "http://rdf.insee.fr/def/geo#Region": "Région",
    "http://rdf.insee.fr/def/geo#Departement": "Département",
    "http://rdf.insee.fr/def/geo#Intercommunalite": "Intercommunalité",
    "http://rdf.insee.fr/def/geo#Commune": "Commune",
    "http://www.w3.org/2004/02/skos/core#Concept": "Concept",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": "Schéma de concepts",
    "http://www.w3.org/ns/prov#Entity": "Entité (PROV)",
}
PREDICATE_LABELS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "nom",
    "http://www.w3.org/2004/02/skos/core#altLabel": "autre nom",
    "http://www.w3.org/2004/02/skos/core#notation": "code",
    "http://www.w3.org/2004/02/skos/core#broader": "plus large",
    "http://www.w3.org/2004/02/skos/core#inScheme": "dans le schéma",
    "http://www.w3.org/2000/01/rdf-schema#label": "libellé",
    "http://www.w3.org/2000/01/rdf-schema#comment": "commentaire",
    "https://schema.org/name": "nom",
    "https://schema.org/description": "description",
    "https://schema.org/funder": "financeur",
    "https://schema.org/fundedItem": "financement de",
    "https://schema.org/amount": "montant",
    "https://schema.org/value": "valeur",
    "https://schema.org/currency": "devise",
    "https://schema.org/unitText": "unité",
    "https://schema.org/areaServed": "territoire d'action",
    "https://schema.org/startDate": "début",
    "https://schema.org/endDate": "fin",
    "https://schema.org/population": "population",
    "https://schema.org/duration": "durée",
    "http://www.w3.org/ns/org#member": "membre",
    "http://www.w3.org/ns/org#organization": "organisation",
    "http://www.w3.org/ns/org#role": "rôle",
    "http://www.w3.org/ns/org#classification": "type de structure",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "source",
    "http://purl.org/dc/terms/title": "titre",
    "http://purl.org/dc/terms/identifier": "identifiant",
    "http://purl.org/dc/terms/type": "genre",
    "http://purl.org/dc/terms/date": "date",
    "http://www.w3.org/2002/07/owl#sameAs": "identique à",
    "http://rdf.insee.fr/def/geo#codeINSEE": "code INSEE",
    "http://rdf.insee.fr/def/geo#subdivisionDirecteDe": "subdivision de",
}
LABEL_PROPERTIES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
                    "https://schema.org/name", "http://purl.org/dc/terms/title")


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
