"""The one Python face of maillage's ontology: namespaces, minted URIs, code sets, name folding.

Everything here is a plain ``str`` (no rdflib, no pyoxigraph): the store turns IRIs into terms.
The code sets (kinds, roles, themes, publics, purposes, units, natures, document kinds and the
families of kinds) are read from the SKOS concept schemes in ``ontology/concepts/*.ttl``; the
Turtle there is a small regular subset, read by :func:`read_turtle` (maillage.turtle; a test checks it against a
real parser).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote

from maillage.turtle import Lit, read_turtle as _read_turtle

# ---------------------------------------------------------------- namespaces (plain strings)

W3ID = "https://w3id.org/maillage/"              # every IRI maillage defines or mints by default starts so
MAI = W3ID + "def#"
ONTOLOGY_IRI = W3ID + "def"
DEFAULT_BASE = W3ID + "id/"                       # minted resources (overridable: MAILLAGE_BASE, --base)
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
IGEO = "http://rdf.insee.fr/def/geo#"             # INSEE's geography vocabulary
INSEE_GEO = "http://id.insee.fr/geo/"             # INSEE's territory resources
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
MAISH = W3ID + "shapes#"
# what the endpoint's descriptions (service description, VoID) and its result documents name
SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"
FORMATS = "http://www.w3.org/ns/formats/"
ENTAILMENT_SIMPLE = "http://www.w3.org/ns/entailment/Simple"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
GRAPH_STORE_PROTOCOL = "https://www.w3.org/TR/sparql11-http-rdf-update/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPARQL_RESULTS_XML = "http://www.w3.org/2005/sparql-results#"   # the namespace of SPARQL XML results
SVG = "http://www.w3.org/2000/svg"                              # the namespace of the charts' SVG

DEF = ONTOLOGY_IRI + "/"                          # concept schemes live under the ontology IRI
KIND = DEF + "kind/"
FAMILY = DEF + "kind-family/"
ROLE = DEF + "role/"
DERIVED_ROLE = DEF + "role/derived/"
THEME = DEF + "theme/"
PUBLIC = DEF + "public/"
PURPOSE = DEF + "purpose/"
UNIT = DEF + "unit/"
NATURE = DEF + "nature/"
DOCUMENT_KIND = DEF + "document-kind/"

RDF_TYPE = RDF + "type"

PREFIXES: dict[str, str] = {
    "mai": MAI, "org": ORG, "schema": SCHEMA, "prov": PROV, "skos": SKOS, "dct": DCT,
    "igeo": IGEO, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "kind": KIND, "role": ROLE, "theme": THEME, "public": PUBLIC, "purpose": PURPOSE,
}
# Vocabularies the endpoint's service description names; prefixes beyond PREFIXES for documents.
EXTRA_PREFIXES: dict[str, str] = {"dcat": DCAT, "void": VOID, "sh": SH, "family": FAMILY, "unit": UNIT,
                                  "nature": NATURE, "doc": DOCUMENT_KIND, "geo": INSEE_GEO}
VOCABULARIES = (ONTOLOGY_IRI, ORG, SCHEMA, PROV, SKOS, IGEO)


class Terms:
    """Attribute access to the terms of one namespace, as plain strings: ``Terms(SCHEMA).funder``
    (not a str subclass, so ``Terms(DCT).title`` is the term, not str.title)."""

    __slots__ = ("_ns",)

    def __init__(self, ns: str):
        object.__setattr__(self, "_ns", ns)

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._ns + name

    def __getitem__(self, name: str) -> str:
        return self._ns + name

    def __str__(self) -> str:
        return self._ns


def expand(curie: str) -> str:
    """``"schema:funder"`` -> its full IRI."""
    prefix, local = curie.split(":", 1)
    return {**PREFIXES, **EXTRA_PREFIXES}[prefix] + local


def compact(iri: str) -> str:
    """The shortest ``prefix:local`` form of ``iri``, or ``iri`` itself."""
    best = max((ns for ns in {**PREFIXES, **EXTRA_PREFIXES}.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in {**PREFIXES, **EXTRA_PREFIXES}.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def sparql_prefixes(prefixes: dict[str, str] | None = None) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or PREFIXES).items())


# ---------------------------------------------------------------- minted URIs

# territory ref scheme -> level (as written in URIs and in mai:level)
TERRITORY_LEVELS = {"reg": "region", "dep": "departement", "epci": "epci", "com": "commune",
                    "qpv": "qpv", "quartier": "quartier"}
REF_SCHEMES = {level: scheme for scheme, level in TERRITORY_LEVELS.items()}
# level -> INSEE's path segment (http://id.insee.fr/geo/<segment>/<code>)
INSEE_SEGMENTS = {"region": "region", "departement": "departement", "epci": "intercommunalite", "commune": "commune"}

# kind -> first path segment under the base
SEGMENTS = {"org": "org", "initiative": "initiative", "programme": "programme", "participation": "participation",
            "membership": "membership", "funding": "funding", "document": "document", "graph": "graph",
            "territory": "territoire"}
_KIND_OF_SEGMENT = {seg: kind for kind, seg in SEGMENTS.items()}
CONCEPT_NAMESPACES = {"kind": KIND, "family": FAMILY, "role": ROLE, "theme": THEME, "public": PUBLIC,
                      "purpose": PURPOSE, "unit": UNIT, "nature": NATURE, "document-kind": DOCUMENT_KIND}

TERRITORIES_GRAPH = "territoires"   # mint("graph", TERRITORIES_GRAPH)
COMMON_GRAPH = "common"
AGGREGATES_GRAPH = "agregats"       # mint("graph", AGGREGATES_GRAPH): written by the store itself (maillage/store/aggregates.py)


def _part(text: str) -> str:
    return quote(str(text), safe="-._~")


def territory_path(ref: str) -> tuple[str, str]:
    """``"dep:62"`` -> ``("departement", "62")`` (a local ``qpv:x`` keeps its scheme as level)."""
    scheme, code = ref.split(":", 1)
    return TERRITORY_LEVELS.get(scheme, scheme), code


def mint(kind: str, *key, base: str = DEFAULT_BASE) -> str:
    """The URI of one thing maillage names.

    ``mint("org", "ccas-barlin")``, ``mint("participation", ini, org, role)``,
    ``mint("territory", "dep:62")``, ``mint("insee", "dep:62")``, ``mint("passage", file, start, end)``,
    ``mint("row", file, line)``, ``mint("amount", funding_key)``, ``mint("figure", initiative, n)``,
    ``mint("theme", "emploi")`` (concepts do not depend on the base)."""
    if kind in CONCEPT_NAMESPACES:
        (code,) = key
        return CONCEPT_NAMESPACES[kind] + code
    if kind == "territory":
        (ref,) = key
        return base + "territoire/" + "/".join(_part(p) for p in territory_path(ref))
    if kind == "insee":
        (ref,) = key
        level, code = territory_path(ref)
        return f"{INSEE_GEO}{INSEE_SEGMENTS[level]}/{code}"
    if kind == "passage":  # RFC 5147: the characters [start, end) of the plain-text document
        file, start, end = key
        return f"{mint('document', file, base=base)}#char={start},{end}"
    if kind == "row":      # one row of a loaded tabular file
        file, line = key
        return f"{mint('document', file, base=base)}#row={line}"
    if kind == "amount":
        return mint("funding", *key, base=base) + "/amount"
    if kind == "figure":
        initiative, n = key
        return f"{mint('initiative', initiative, base=base)}/figure/{n}"
    if kind not in SEGMENTS:
        raise ValueError(f"no URI pattern for {kind!r} (known: {', '.join([*SEGMENTS, *CONCEPT_NAMESPACES])})")
    if not key:
        raise ValueError(f"mint({kind!r}) needs a key")
    return base + "/".join([SEGMENTS[kind], *(_part(k) for k in key)])


class Minted(NamedTuple):
    kind: str
    key: tuple[str, ...]


def parse(uri: str, base: str = DEFAULT_BASE) -> Minted | None:
    """The inverse of :func:`mint`: ``(kind, key)``, or None for a URI maillage did not mint."""
    uri = str(uri)
    for kind, ns in sorted(CONCEPT_NAMESPACES.items(), key=lambda kv: -len(kv[1])):
        if uri.startswith(ns) and "/" not in uri[len(ns):] and uri != ns:
            return Minted(kind, (uri[len(ns):],))
    if uri.startswith(INSEE_GEO):
        segment, _, code = uri[len(INSEE_GEO):].partition("/")
        level = {v: k for k, v in INSEE_SEGMENTS.items()}.get(segment)
        return Minted("insee", (f"{REF_SCHEMES[level]}:{code}",)) if level and code else None
    if not uri.startswith(base):
        return None
    path, _, fragment = uri[len(base):].partition("#")
    parts = [unquote(p) for p in path.split("/")]
    kind = _KIND_OF_SEGMENT.get(parts[0])
    if kind is None or len(parts) < 2:
        return None
    if fragment and kind == "document":
        m = re.fullmatch(r"char=(\d+),(\d+)", fragment)
        if m:
            return Minted("passage", (parts[1], m.group(1), m.group(2)))
        m = re.fullmatch(r"row=(\d+)", fragment)
        if m:
            return Minted("row", (parts[1], m.group(1)))
        return None
    if kind == "territory" and len(parts) == 3:
        return Minted("territory", (f"{REF_SCHEMES.get(parts[1], parts[1])}:{parts[2]}",))
    if kind == "funding" and parts[-1] == "amount" and len(parts) == 3:
        return Minted("amount", (parts[1],))
    if kind == "initiative" and len(parts) == 4 and parts[2] == "figure":
        return Minted("figure", (parts[1], parts[3]))
    return Minted(kind, tuple(parts[1:]))


def territory_ref(uri: str) -> str | None:
    """``"…/territoire/departement/62"`` -> ``"dep:62"`` whatever the base it was minted under."""
    m = re.search(r"/territoire/([^/#?]+)/([^/#?]+)$", str(uri))
    return f"{REF_SCHEMES.get(m.group(1), m.group(1))}:{unquote(m.group(2))}" if m else None


# ---------------------------------------------------------------- names: fold, slug, normalise

# rapidfuzz scores (0-100): from SIMILARITY_THRESHOLD two recorded organisations are suspected to be
# one (curation); from LINK_THRESHOLD an extracted name links to a recorded organisation (stricter
# checks follow it there: a distinctive word must match)
SIMILARITY_THRESHOLD = 90.0
LINK_THRESHOLD = 88.0

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """Case, accents, ligatures and punctuation do not matter: "Cœur d'Hérault" -> "coeur d herault"."""
    text = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def slug(text: str, limit: int | None = 60) -> str:
    """A URI-safe key: "Cœur d'Hérault" -> "coeur-d-herault"; cut at a hyphen past ``limit``."""
    s = fold(text).replace(" ", "-")
    if limit and len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0] or s[:limit]
    return s or "x"


# Phrases first (longest wins), then single tokens.
_PHRASES = [
    ("conseil departemental", "departement"), ("conseil general", "departement"),
    ("conseil regional", "region"), ("communaute d agglomeration", "agglomeration"),
    ("communaute urbaine", "agglomeration"), ("communaute de communes", "communes"),
    ("centre communal d action sociale", "ccas"), ("pole emploi", "france travail"),
    ("mission locale", "missionlocale"), ("mairie de", "commune"), ("ville de", "commune"),
]
_TOKENS = {"cd": "departement", "cg": "departement", "dept": "departement", "dep": "departement",
           "ca": "agglomeration", "agglo": "agglomeration", "cc": "communes", "cu": "agglomeration",
           "st": "saint", "ste": "sainte"}
_STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "sur",
         "francaise", "francais"}


def normalise_name(name: str, cog=None) -> str:
    """An organisation's name for comparison: 'CD 41' and 'Conseil départemental de Loir-et-Cher'
    both become 'departement loir cher' (a département number is named through ``cog``)."""
    text = f" {fold(name)} "
    for phrase, repl in _PHRASES:
        text = text.replace(f" {phrase} ", f" {repl} ")
    tokens = [_TOKENS.get(t, t) for t in text.split()]
    if cog is not None:  # a département number after "departement" -> its name
        out: list[str] = []
        for t in tokens:
            prev = out[-1] if out else None
            dep = cog.get(f"dep:{t.upper()}") if re.fullmatch(r"\d{2,3}|2[ab]", t) else None
            if dep is not None and prev == "departement":
                out.extend(fold(dep.name).split())
            else:
                out.append(t)
        tokens = out
    return " ".join(t for t in tokens if t not in _STOP)


# ---------------------------------------------------------------- ontology files

def ontology_dir() -> Path:
    """ontology/ of a source checkout, or maillage/ontology/ where a wheel installs its Turtle."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "ontology", here / "ontology"):
        if (candidate / "maillage.ttl").is_file():
            return candidate
    raise FileNotFoundError(f"no ontology/maillage.ttl beside {here}")


def vocabulary_files() -> list[Path]:
    d = ontology_dir()
    return [d / "maillage.ttl", *sorted((d / "concepts").glob("*.ttl"))]


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def read_turtle(path: Path):
    """The triples of one of the ontology's Turtle files (see maillage.turtle)."""
    return _read_turtle(path, rdf_type=RDF_TYPE, xsd=XSD)


# ---------------------------------------------------------------- code sets

# scheme name -> (file under ontology/concepts, concept scheme IRI)
SCHEMES = {
    "kinds": ("typology", KIND), "families": ("typology", FAMILY), "roles": ("roles", ROLE),
    "derived-roles": ("roles", DERIVED_ROLE), "themes": ("themes", THEME), "publics": ("publics", PUBLIC),
    "purposes": ("purposes", PURPOSE), "units": ("units", UNIT), "natures": ("natures", NATURE),
    "document-kinds": ("documents", DOCUMENT_KIND),
}
# the older names (concept file names) still accepted by codes()
_ALIASES = {"typology": "kinds", "documents": "document-kinds"}


@dataclass(frozen=True)
class Concept:
    code: str                 # skos:notation, the code records use
    iri: str
    labels: dict = field(default_factory=dict, compare=False, hash=False)   # lang -> prefLabel
    broader: tuple[str, ...] = ()                                            # codes
    family: str | None = None                                                # code of mai:family

    def label(self, lang: str = "fr") -> str:
        return self.labels.get(lang) or self.labels.get("fr") or self.code


@cache
def _concept_file(name: str) -> tuple[tuple[str, str, str | Lit], ...]:
    return tuple(read_turtle(ontology_dir() / "concepts" / f"{name}.ttl"))


@cache
def concepts(scheme: str) -> dict[str, Concept]:
    """code -> Concept for one scheme, in the order of its file."""
    scheme = _ALIASES.get(scheme, scheme)
    file, iri = SCHEMES[scheme]
    triples = _concept_file(file)
    members = list(dict.fromkeys(s for s, p, o in triples if p == SKOS + "inScheme" and o == iri))
    props: dict[str, dict[str, list]] = {}
    for s, p, o in triples:
        props.setdefault(s, {}).setdefault(p, []).append(o)
    code_of = {s: str(v[0].value) for s, v in ((s, props[s].get(SKOS + "notation", [])) for s in props) if v}
    out = {}
    for s in members:
        p = props[s]
        labels = {o.lang: o.value for o in p.get(SKOS + "prefLabel", []) if isinstance(o, Lit)}
        broader = tuple(code_of[b] for b in p.get(SKOS + "broader", []) if b in code_of)
        family = next((code_of[f] for f in p.get(MAI + "family", []) if f in code_of), None)
        out[code_of[s]] = Concept(code_of[s], s, labels, broader, family)
    return out


def codes(scheme: str) -> tuple[str, ...]:
    """The codes (skos:notation) of one scheme, in file order: ``codes("units")``."""
    return tuple(concepts(scheme))


def concept_iri(scheme: str, code: str) -> str:
    return SCHEMES[_ALIASES.get(scheme, scheme)][1] + code


def kind_family(kind: str) -> str:
    """The French label of a kind's family ("CCAS" -> "Collectivités"); unknown kinds: "Autres"."""
    c = concepts("kinds").get(kind)
    fam = concepts("families").get(c.family if c and c.family else "autres")
    return fam.label("fr") if fam else "Autres"


def families() -> tuple[str, ...]:
    """The French labels of the families of kinds, in the order legends show them."""
    return tuple(c.label("fr") for c in concepts("families").values())


FUNDER_ROLE = "financeur"   # the derived role (roles.ttl, scheme role/derived/)
def collection(name: str, scheme: str = "kinds") -> frozenset[str]:
    """The codes of the members of a skos:Collection of a concept file (``kind:governing``)."""
    file, ns = SCHEMES[scheme]
    members = {o for s, p, o in _concept_file(file) if s == ns + name and p == SKOS + "member"}
    return frozenset(c.code for c in concepts(scheme).values() if c.iri in members)


# Kinds that govern one territory: two bodies of the same kind on the same territory are one.
GOVERNING_KINDS = collection("governing")
# Extra schema.org types, so generic linked-data clients see what kind of body this is
# (the collections kind:government and kind:ngo of typology.ttl).
KIND_SCHEMA_TYPES = {**{k: SCHEMA + "GovernmentOrganization" for k in collection("government")},
                     **{k: SCHEMA + "NGO" for k in collection("ngo")}}
