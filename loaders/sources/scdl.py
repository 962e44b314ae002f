"""SCDL subventions (Socle commun des données locales, schema.data.gouv.fr scdl/subventions,
versions 1.x and 2.x) -> the same funding nodes as the curated data.

Each row is one grant: attributing body -> beneficiary organisation, amount, convention date,
object. Attributing collectivités are found through their SIREN in the COG; beneficiaries
through SIRET / RNA, then their name, so a beneficiary already in the graph is the same node.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from maillage import model
from maillage.loaders.orgindex import OrgIndex
from maillage.loaders.sources.tabular import FileInvalid, RowError, check_rna, check_siret, parse_amount, parse_date, read_csv, slug
from maillage.loaders.values import check_amount
from maillage.model import DCT, KIND, MAI, ORG, SCHEMA, SKOS, XSD, Lit
from maillage.store import QuadWriter

# Every spelling of the schema's columns across versions, mapped to one name.
COLUMNS = {
    "nomAttribuant": "nomAttribuant", "idAttribuant": "idAttribuant", "dateConvention": "dateConvention",
    "referenceDecision": "referenceDecision", "nomBeneficiaire": "nomBeneficiaire",
    "idBeneficiaire": "idBeneficiaire", "rnaBeneficiaire": "rnaBeneficiaire", "objet": "objet",
    "montant": "montant", "nature": "nature", "conditionsVersement": "conditionsVersement",
    "datesPeriodeVersement": "datesPeriodeVersement", "idRAE": "idRAE",
    "notificationUE": "notificationUE", "pourcentageSubvention": "pourcentageSubvention",
    "dispositifAide": "dispositifAide",
}
REQUIRED = ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet", "montant")
NATURES = {"aideennumeraire": "aide en numéraire", "aideennature": "aide en nature"}

RDF_TYPE = model.RDF_TYPE
RDFS_LABEL = model.RDFS + "label"
PROV_DERIVED = model.PROV + "wasDerivedFrom"


@dataclass
class Grant:
    line: int
    funder_name: str
    funder_siret: str
    date: str
    reference: str
    beneficiary_name: str
    beneficiary_siret: str | None
    beneficiary_rna: str | None
    object: str
    amount: Decimal          # exact, finite, 0 … 10 G€ (loaders.values)
    nature: str | None
    period: str | None
    scheme: str | None
    warning: str | None = None  # an amount above the warning band, named in the load's report


def validate_row(line: int, row: dict[str, str], display: str) -> tuple[Grant | None, list[RowError]]:
    errors: list[RowError] = []

    def err(column: str, message: str) -> None:
        errors.append(RowError(display, line, column, message))

    if "__extra__" in row:
        err("(row)", f"{row['__extra__']} value(s) more than the header has columns")
    for col in REQUIRED:
        if not row.get(col):
            err(col, "is required and empty")
    values: dict[str, object] = {}
    warning = None

    def amount(text: str) -> Decimal:
        nonlocal warning
        value, warning = check_amount(parse_amount(text), "montant")
        return value

    for col, check in (("idAttribuant", check_siret), ("idBeneficiaire", check_siret), ("rnaBeneficiaire", check_rna),
                       ("montant", amount), ("dateConvention", parse_date)):
        if row.get(col):
            try:
                values[col] = check(row[col])
            except ValueError as exc:
                err(col, str(exc))
    nature = None
    if row.get("nature"):
        nature = NATURES.get(re.sub(r"[^a-z]", "", row["nature"].lower().replace("é", "e")))
        if nature is None:
            err("nature", f"{row['nature']!r} is not 'aide en numéraire' or 'aide en nature'")
    period = None
    if row.get("datesPeriodeVersement"):
        parts = [p.strip() for p in re.split(r"[/_]", row["datesPeriodeVersement"]) if p.strip()]
        try:
            if not parts:
                raise ValueError(f"{row['datesPeriodeVersement']!r} is not a date or a period date/date")
            dates = [parse_date(p) for p in parts[:2]]
            period = "/".join(d[:4] for d in dates) if len(dates) == 2 and dates[0][:4] != dates[1][:4] else dates[0][:4]
        except ValueError as exc:
            err("datesPeriodeVersement", str(exc))
    if row.get("pourcentageSubvention"):
        try:
            share = parse_amount(row["pourcentageSubvention"])
            if share > 100:
                raise ValueError(f"{row['pourcentageSubvention']!r} is more than 100 %")
        except ValueError as exc:
            err("pourcentageSubvention", str(exc))
    if errors:
        return None, errors
    return Grant(line, row["nomAttribuant"], values["idAttribuant"], values["dateConvention"],
                 row.get("referenceDecision", ""), row["nomBeneficiaire"], values.get("idBeneficiaire"),
                 values.get("rnaBeneficiaire"), row["objet"], values["montant"], nature, period,
                 row.get("dispositifAide") or None, f"{display}:{line}: {warning}" if warning else None), []


def read_grants(path: Path) -> tuple[list[Grant], list[RowError], list[tuple[int, dict]]]:
    """Every row validated: the good grants, every error, and the bad rows themselves."""
    display = str(path)
    found, rows = read_csv(path, COLUMNS)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise FileInvalid([RowError(display, 1, c, "column missing from the header (SCDL subventions schema)") for c in missing], 0)
    grants, errors, bad = [], [], []
    for line, row in rows:
        grant, errs = validate_row(line, row, display)
        if grant:
            grants.append(grant)
        else:
            errors += errs
            bad.append((line, row))
    return grants, errors, bad


@dataclass
class Conversion:
    writer: QuadWriter = field(default_factory=QuadWriter)
    territory_refs: set[str] = field(default_factory=set)

    @property
    def quads(self) -> list:
        return list(self.writer.quads())


def grants_to_quads(grants: list[Grant], file_name: str, base: str, index: OrgIndex) -> Conversion:
    out = Conversion()
    graph = model.mint("graph", f"scdl--{slug(file_name)}", base=base)
    doc = model.mint("document", file_name, base=base)
    add = out.writer.graph(graph).add

    add(doc, RDF_TYPE, MAI + "SourceDocument")
    add(doc, DCT + "identifier", Lit(file_name))
    add(doc, DCT + "type", Lit("scdl-subventions"))
    add(graph, PROV_DERIVED, doc)
    seen: dict[str, int] = {}
    for g in grants:
        funder = _funder(g, base, index, add, out)
        recipient = _beneficiary(g, base, index, add)
        key = "|".join([g.funder_siret, g.date, g.reference, g.beneficiary_siret or g.beneficiary_rna or g.beneficiary_name, g.object, f"{g.amount:.2f}"])
        digest = hashlib.sha1(key.encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        key = f"scdl-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
        s = model.mint("funding", key, base=base)
        add(s, RDF_TYPE, MAI + "Funding")
        add(s, RDF_TYPE, SCHEMA + "MonetaryGrant")
        add(s, SCHEMA + "funder", funder)
        add(s, MAI + "recipient", recipient)
        amount = model.mint("amount", key, base=base)
        add(s, SCHEMA + "amount", amount)
        add(amount, RDF_TYPE, SCHEMA + "MonetaryAmount")
        add(amount, SCHEMA + "value", Decimal(f"{g.amount:.2f}"))  # spelt by the store's one converter
        add(amount, SCHEMA + "currency", Lit("EUR"))
        year = g.date[:4]
        period = g.period or year
        add(s, MAI + "period", Lit(period))
        first, last = (period.split("/") + [period])[:2]
        add(s, SCHEMA + "startDate", Lit(first[:4], None, XSD + "gYear"))
        add(s, SCHEMA + "endDate", Lit(last[:4], None, XSD + "gYear"))
        add(s, DCT + "date", Lit(g.date, None, XSD + "date"))
        add(s, SCHEMA + "description", Lit(g.object, "fr"))
        add(s, MAI + "nature", Lit(g.nature or "subvention"))
        if g.reference:
            add(s, DCT + "identifier", Lit(g.reference))
        if g.scheme:  # dispositifAide (v2): the scheme the grant came through
            scheme = model.mint("programme", slug(g.scheme), base=base)
            add(scheme, RDF_TYPE, SCHEMA + "FundingScheme")
            add(scheme, SKOS + "prefLabel", Lit(g.scheme, "fr"))
            add(s, MAI + "fundingScheme", scheme)
        add(s, PROV_DERIVED, model.mint("row", file_name, g.line, base=base))
    return out


def _declare(add, uri: str, name: str, kind: str, territory: str | None, identifiers: dict[str, str]) -> None:
    s = uri
    add(s, RDF_TYPE, ORG + "FormalOrganization")
    add(s, SKOS + "prefLabel", Lit(name, "fr"))
    add(s, RDFS_LABEL, Lit(name, "fr"))
    add(s, ORG + "classification", KIND + kind)
    if territory:
        add(s, MAI + "territory", territory)
    for key, value in identifiers.items():
        add(s, MAI + key, Lit(value))


def _alias(add, index: OrgIndex, uri: str, name: str) -> None:
    if name not in index.labels.get(uri, set()):
        add(uri, SKOS + "altLabel", Lit(name, "fr"))
        index.add(uri, name)


def _funder(g: Grant, base: str, index: OrgIndex, add, out: Conversion) -> str:
    siren = g.funder_siret[:9]
    territory = index.cog.by_siren(siren)
    governs = None
    if territory is not None and territory.level in ("commune", "epci"):
        kind = "MUNI" if territory.level == "commune" else "EPCI"
        governs = (kind, model.mint("territory", territory.ref, base=base))
        out.territory_refs.add(territory.ref)
    found = index.find(siret=g.funder_siret, siren=siren, name=g.funder_name, governs=governs)
    if found:
        _alias(add, index, found, g.funder_name)
        return found
    uri = model.mint("org", f"siren-{siren}", base=base)
    kind = governs[0] if governs else "COLLECTIVITE"
    _declare(add, uri, g.funder_name, kind, governs[1] if governs else None, {"siren": siren, "siret": g.funder_siret})
    index.add(uri, g.funder_name, kind=kind, territory=governs[1] if governs else None, identifiers=[siren, g.funder_siret])
    return uri


def _beneficiary(g: Grant, base: str, index: OrgIndex, add) -> str:
    found = index.find(siret=g.beneficiary_siret, rna=g.beneficiary_rna, name=g.beneficiary_name)
    if found:
        _alias(add, index, found, g.beneficiary_name)
        ids = {k: v for k, v in (("siret", g.beneficiary_siret), ("rna", g.beneficiary_rna)) if v}
        for key, value in ids.items():  # the graph learns the identifiers of a body it knew by name
            if value not in index.by_identifier:
                add(found, MAI + key, Lit(value))
                index.add(found, None, identifiers=[value])
        return found
    if g.beneficiary_siret:
        uri = model.mint("org", f"siret-{g.beneficiary_siret}", base=base)
    elif g.beneficiary_rna:
        uri = model.mint("org", f"rna-{g.beneficiary_rna.lower()}", base=base)
    else:
        uri = model.mint("org", f"nom-{slug(g.beneficiary_name)}", base=base)
    ids = {k: v for k, v in (("siret", g.beneficiary_siret), ("rna", g.beneficiary_rna)) if v}
    _declare(add, uri, g.beneficiary_name, "ASSO" if g.beneficiary_rna else "AUTRE", None, ids)
    index.add(uri, g.beneficiary_name, identifiers=list(ids.values()))
    return uri
