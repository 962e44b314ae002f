"""data·inclusion structures (and their services) -> organisations and initiatives of the graph.

Structures become organisations (SIRET, typology mapped to maillage's, commune, themes);
services become initiatives piloted by their structure, with the area they serve. Codes are
mapped by ``mappings/data-inclusion.yaml``; an unknown code is a bad row, not a silent guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from maillage import model
from maillage.loaders.orgindex import OrgIndex
from maillage.loaders.sources.scdl import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, Conversion
from maillage.loaders.sources.tabular import FileInvalid, RowError, check_rna, check_siret, parse_date, read_csv, read_source_bytes, slug
from maillage.loaders.territories import load_cog
from maillage.model import DCT, KIND, MAI, ORG, ROLE, SCHEMA, SKOS, THEME, Lit

STRUCTURE_COLUMNS = {c: c for c in ("id", "siret", "rna", "nom", "commune", "code_postal", "code_insee", "adresse",
                                    "typologie", "thematiques", "source", "site_web", "date_maj")}
ZONE_SCHEME = {"commune": "com", "epci": "epci", "departement": "dep", "region": "reg"}


@lru_cache(maxsize=1)
def mapping() -> dict:
    return yaml.safe_load((Path(__file__).parent / "mappings" / "data-inclusion.yaml").read_text(encoding="utf-8"))


@dataclass
class Structure:
    line: int
    id: str
    name: str
    source: str
    siret: str | None
    rna: str | None
    kind: str
    commune: str | None
    themes: list[str]
    services: list[Service] = field(default_factory=list)


@dataclass
class Service:
    line: int
    id: str
    name: str
    themes: list[str]
    zones: list[str]


def _list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in re.split(r"[,;|]", str(value)) if v.strip()]


def _themes(values, col: str, err) -> list[str]:
    known = mapping()["thematiques"]
    out = []
    for value in _list(values):
        family = value.split("--", 1)[0]
        if family not in known:
            err(col, f"unknown thématique {value!r} (families: {', '.join(sorted(known))})")
        elif known[family] and known[family] not in out:
            out.append(known[family])
    return out


def validate_structure(line: int, row: dict, display: str) -> tuple[Structure | None, list[RowError]]:
    errors: list[RowError] = []

    def err(column: str, message: str) -> None:
        errors.append(RowError(display, line, column, message))

    cog = load_cog()
    name = str(row.get("nom") or "").strip()
    if not name:
        err("nom", "is required and empty")
    sid = str(row.get("id") or "").strip()
    if not sid:
        err("id", "is required and empty")
    siret = rna = commune = None
    if row.get("siret"):
        try:
            siret = check_siret(str(row["siret"]))
        except ValueError as exc:
            err("siret", str(exc))
    if row.get("rna"):
        try:
            rna = check_rna(str(row["rna"]))
        except ValueError as exc:
            err("rna", str(exc))
    if row.get("code_insee"):
        code = str(row["code_insee"]).strip()
        if f"com:{code}" not in cog:
            err("code_insee", f"{code!r} is not a commune of the COG")
        commune = f"com:{code}"
    typology = str(row.get("typologie") or "AUTRE").strip().upper()
    kind = mapping()["typologie"].get(typology)
    if kind is None:
        err("typologie", f"unknown typologie {typology!r}")
    themes = _themes(row.get("thematiques"), "thematiques", err)
    if row.get("date_maj"):  # the same date rules as every source (loaders.values)
        try:
            parse_date(str(row["date_maj"]))
        except ValueError as exc:
            err("date_maj", str(exc))
    if errors:
        return None, errors
    return Structure(line, sid, name, str(row.get("source") or "").strip(), siret, rna, kind, commune, themes), []


def validate_service(line: int, row: dict, display: str) -> tuple[Service | None, list[RowError]]:
    errors: list[RowError] = []

    def err(column: str, message: str) -> None:
        errors.append(RowError(display, line, column, message))

    name = str(row.get("nom") or "").strip()
    if not name:
        err("nom", "is required and empty")
    themes = _themes(row.get("thematiques"), "thematiques", err)
    zones = []
    ztype = str(row.get("zone_diffusion_type") or "").strip()
    if ztype and ztype != "pays":
        scheme = ZONE_SCHEME.get(ztype)
        code = str(row.get("zone_diffusion_code") or "").strip()
        if scheme is None:
            err("zone_diffusion_type", f"{ztype!r} is not commune, epci, departement, region or pays")
        elif f"{scheme}:{code}" not in load_cog():
            err("zone_diffusion_code", f"{code!r} is not a {ztype} of the COG")
        else:
            zones.append(f"{scheme}:{code}")
    if errors:
        return None, errors
    return Service(line, str(row.get("id") or slug(name)), name, themes, zones), []


def _json_items(text: str, key: str, display: str) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """(line, object) for each element of the top-level list, or of the list under ``key``, and
    an error (with its JSON pointer) for each element that is not an object."""
    decoder = json.JSONDecoder()
    m = re.search(rf'"{key}"\s*:\s*\[', text) if not text.lstrip().startswith("[") else re.search(r"\[", text)
    if not m:
        return [], []
    pointer = "" if text.lstrip().startswith("[") else f"/{key}"
    pos, items, errors = m.end(), [], []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return items, errors
        obj, end = decoder.raw_decode(text, pos)
        line = text.count("\n", 0, pos) + 1
        if isinstance(obj, dict):
            items.append((line, obj))
        else:
            kind = {list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(type(obj), "a number")
            errors.append(RowError(display, line, f"{pointer}/{len(items) + len(errors)}", f"is {kind}, not an object"))
        pos = end


def _read_json(path: Path, display: str):
    raw = read_source_bytes(path, display)
    try:
        text = raw.decode("utf-8-sig")  # JSON is UTF-8 (RFC 8259): another encoding is refused, not guessed
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileInvalid([RowError(display, line, "(json)", f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                                    f"{exc.start}): JSON files are UTF-8, save it as UTF-8")], 0) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileInvalid([RowError(display, exc.lineno, "(json)", exc.msg)], 0) from None
    except RecursionError:
        raise FileInvalid([RowError(display, 1, "(json)", "nested too deep (arrays or objects inside each "
                                    "other hundreds of levels deep): not a data·inclusion file")], 0) from None
    if not isinstance(data, (list, dict)):
        raise FileInvalid([RowError(display, 1, "(json)", "the file must be a list of structures or an object "
                                    "with 'structures' (and 'services')")], 0)
    structures, errs = _json_items(text, "structures", display)
    services, errs2 = _json_items(text, "services", display)
    return structures, services, errs + errs2


def read_structures(path: Path):
    """Structures (with their services) from data·inclusion JSON or CSV, every row validated."""
    display = str(path)
    errors: list[RowError] = []
    bad: list[tuple[int, dict]] = []
    structures: list[Structure] = []
    if path.suffix.lower() == ".json":
        raw_structures, raw_services, errors = _read_json(path, display)
    else:
        _, rows = read_csv(path, STRUCTURE_COLUMNS)
        raw_structures, raw_services = list(rows), []
    by_id: dict[str, Structure] = {}
    for line, row in raw_structures:
        s, errs = validate_structure(line, row, display)
        if s:
            structures.append(s)
            by_id[f"{s.source}/{s.id}"] = s
            by_id.setdefault(s.id, s)
        else:
            errors += errs
            bad.append((line, {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}))
    for line, row in raw_services:
        owner = by_id.get(f"{row.get('source', '')}/{row.get('structure_id', '')}") or by_id.get(str(row.get("structure_id", "")))
        svc, errs = validate_service(line, row, display)
        if owner is None:
            errs = errs + [RowError(display, line, "structure_id", f"{row.get('structure_id')!r} is no structure of this file")]
        if svc and owner:
            owner.services.append(svc)
        else:
            errors += errs
            bad.append((line, {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}))
    return structures, sorted(errors), bad


def structures_to_quads(structures: list[Structure], file_name: str, base: str, index: OrgIndex) -> Conversion:
    out = Conversion()
    graph = model.mint("graph", f"data-inclusion--{slug(file_name)}", base=base)
    doc = model.mint("document", file_name, base=base)
    add = out.writer.graph(graph).add

    add(doc, RDF_TYPE, MAI + "SourceDocument")
    add(doc, DCT + "identifier", Lit(file_name))
    add(doc, DCT + "type", Lit("data-inclusion"))
    add(graph, PROV_DERIVED, doc)
    for st in structures:
        passage = model.mint("row", file_name, st.line, base=base)
        found = index.find(siret=st.siret, rna=st.rna)
        if found is None and st.commune and st.kind in ("CCAS", "MUNI"):
            t = load_cog().get(st.commune)
            found = index.find(governs=(st.kind, model.mint("territory", t.ref, base=base))) if t else None
        uri = found or model.mint("org", f"siret-{st.siret}" if st.siret else f"di-{slug(st.source or 'x')}-{slug(st.id)}", base=base)
        o = uri
        if not found:
            add(o, RDF_TYPE, ORG + "FormalOrganization")
            add(o, SKOS + "prefLabel", Lit(st.name, "fr"))
            add(o, RDFS_LABEL, Lit(st.name, "fr"))
            add(o, ORG + "classification", KIND + st.kind)
            if st.commune:
                add(o, MAI + "territory", model.mint("territory", st.commune, base=base))
        elif st.name not in index.labels.get(uri, set()):
            add(o, SKOS + "altLabel", Lit(st.name, "fr"))
        if st.commune:
            out.territory_refs.add(st.commune)
        for key, value in (("siret", st.siret), ("rna", st.rna)):
            if value and value not in index.by_identifier:
                add(o, MAI + key, Lit(value))
        index.add(uri, st.name, kind=st.kind, identifiers=[v for v in (st.siret, st.rna) if v])
        for theme in st.themes:
            add(o, MAI + "theme", THEME + theme)
        add(o, PROV_DERIVED, passage)
        for svc in st.services:
            i = model.mint("initiative", f"di-{slug(st.source or 'x')}-{slug(svc.id)}", base=base)
            add(i, RDF_TYPE, MAI + "Initiative")
            add(i, RDF_TYPE, SCHEMA + "Project")
            add(i, SKOS + "prefLabel", Lit(svc.name, "fr"))
            add(i, RDFS_LABEL, Lit(svc.name, "fr"))
            for theme in svc.themes:
                add(i, MAI + "theme", THEME + theme)
            zones = svc.zones or ([st.commune] if st.commune else [])
            for ref in zones:
                add(i, SCHEMA + "areaServed", model.mint("territory", ref, base=base))
                out.territory_refs.add(ref)
            add(i, PROV_DERIVED, model.mint("row", file_name, svc.line, base=base))
            p = model.mint("participation", f"di-{slug(st.source or 'x')}-{slug(svc.id)}", "pilote", base=base)
            add(p, RDF_TYPE, MAI + "Participation")
            add(p, ORG + "member", o)
            add(p, ORG + "organization", i)
            add(p, ORG + "role", ROLE + "pilote")
            add(p, PROV_DERIVED, model.mint("row", file_name, svc.line, base=base))
    return out
