"""Synthetic files shaped like the real ones, for tests and benchmarks: SCDL grants from real
collectivités of the COG to made-up associations, with valid SIRET check digits."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from maillage import model
from maillage.loaders.sources.tabular import luhn_ok
from maillage.loaders.territories import load_cog
from maillage.model import Lit

OBJECTS = [
    "Fonctionnement de l'atelier chantier d'insertion", "Épicerie solidaire : achat de denrées",
    "Accompagnement vers l'emploi des allocataires du RSA", "Garage solidaire – location de véhicules",
    "Ressourcerie : équipement de l'atelier de réemploi", "Médiation numérique itinérante",
    "Aide alimentaire d'urgence", "Auto-école sociale", "Chantier d'insertion espaces verts",
    "Accueil de jour et lien social", "Plateforme mobilité", "Insertion par le maraîchage biologique",
]
KINDS = ["Association", "Atelier", "Collectif", "Régie de quartier", "Ressourcerie", "Épicerie solidaire"]
HEADER = ["nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
          "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
          "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide"]


def with_check_digit(digits: str) -> str:
    for d in "0123456789":
        if luhn_ok(digits + d):
            return digits + d
    raise AssertionError("unreachable")


def siret_for(siren: str, rng: random.Random) -> str:
    return with_check_digit(siren + f"{rng.randrange(10000):04d}")


def scdl_rows(count: int, seed: int = 42) -> list[dict[str, str]]:
    rng = random.Random(seed)
    cog = load_cog()
    communes = [t for t in (cog.get(f"com:{c}") for c in ("18033", "62083", "63178", "31555", "41018", "80001")) if t]
    epcis = [t for t in (cog.get(r) for r in ("epci:200070407", "epci:200072460", "epci:246300701")) if t]
    payers = communes + epcis
    beneficiaries = []
    for i in range(max(50, count // 20)):
        siren = with_check_digit(f"{rng.randrange(10**7, 10**8)}")
        name = f"{rng.choice(KINDS)} {rng.choice(['du Val', 'des Quartiers', 'Solidaire', 'de la Vallée', 'Horizon', 'Ensemble'])} {i}"
        beneficiaries.append((name, siret_for(siren, rng), f"W{rng.randrange(10**8, 10**9)}"))
    rows = []
    for i in range(count):
        payer = rng.choice(payers)
        name, siret, rna = rng.choice(beneficiaries)
        year = rng.randrange(2018, 2025)
        amount = rng.choice([rng.randrange(500, 5000) * 10, rng.randrange(100, 100000) + rng.randrange(100) / 100])
        rows.append({
            "nomAttribuant": ("Commune de " if payer.level == "commune" else "") + payer.name,
            "idAttribuant": siret_for(payer.siren, rng),
            "dateConvention": f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "referenceDecision": f"DEL-{year}-{i:06d}",
            "nomBeneficiaire": name, "idBeneficiaire": siret, "rnaBeneficiaire": rna,
            "objet": rng.choice(OBJECTS),
            "montant": f"{amount:.2f}".replace(".", ","),
            "nature": rng.choice(["aide en numéraire", "aide en numéraire", "aide en nature"]),
            "conditionsVersement": rng.choice(["unique", "echelonne"]),
            "datesPeriodeVersement": f"{year}-{rng.randrange(1, 13):02d}-15",
            "idRAE": "", "notificationUE": "non", "pourcentageSubvention": "",
            "dispositifAide": rng.choice(["", "Fonds départemental d'insertion", "Politique de la ville"]),
        })
    return rows


def write_scdl(path: Path, rows: list[dict[str, str]], *, delimiter: str = ";", bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


# ---------------------------------------------------------------- a synthetic graph for benchmarks

BENCH_KINDS = ["ACI", "EI", "AI", "ETTI", "EA", "CCAS", "PLIE", "ML", "REG", "CD", "EPCI", "MUNI", "ETAT", "FT",
               "MSA", "CAF", "UE", "FONDATION", "ASSO", "ASSO", "ASSO", "ENTREPRISE", "RESEAU", "ESS"]
FUNDER_KINDS = ["REG", "CD", "EPCI", "MUNI", "ETAT", "FT", "MSA", "CAF", "UE", "FONDATION"]
ROLES = ["pilote", "partenaire", "partenaire", "partenaire", "client", "prescripteur", "operateur", "membre"]
THEMES = ["emploi", "insertion-professionnelle", "mobilite", "numerique", "habitat", "precarite-alimentaire",
          "precarite-energetique", "lien-social", "handicap", "formation", "sante", "economie-circulaire"]
_IGEO_CLASS = {"region": "Region", "departement": "Departement", "epci": "Intercommunalite", "commune": "Commune"}


def synthetic_graph(target: int, path: Path, seed: int = 42, base: str = model.DEFAULT_BASE) -> dict:
    """Write about ``target`` quads shaped like the real graph to ``path`` (N-Quads), through the
    one quad writer and the model's URIs; return names of entities the queries can use. The
    writer is flushed every few thousand entities, so memory stays flat at millions of quads."""
    from decimal import Decimal

    from maillage.loaders.triples import closure_pairs
    from maillage.store import QuadWriter

    M, S, O, SK = model.MAI, model.SCHEMA, model.ORG, model.SKOS  # noqa: E741 - short prefixes
    label, prov = model.RDFS + "label", model.PROV + "wasDerivedFrom"
    rng = random.Random(seed)
    cog = load_cog()
    communes = [t for t in cog.communes()]
    rng.shuffle(communes)
    communes = communes[: max(200, min(len(communes), target // 300))]
    territories = cog.closure([c.ref for c in communes])
    w = QuadWriter()
    written = 0

    def flush(f) -> None:
        nonlocal w, written
        f.write(w.nquads())
        written += w.count()
        w = QuadWriter()

    def name(s, g, text: str) -> None:
        g.add(s, SK + "prefLabel", Lit(text, "fr"))
        g.add(s, label, Lit(text, "fr"))

    with path.open("wb") as f:
        for p in model.vocabulary_files():
            w.add_turtle(p, model.ONTOLOGY_IRI)
        gt = w.graph(model.mint("graph", model.TERRITORIES_GRAPH, base=base))
        uri = {t.ref: model.mint("territory", t.ref, base=base) for t in territories}
        for t in territories:
            u = uri[t.ref]
            gt.type(u, model.IGEO + _IGEO_CLASS[t.level], model.IGEO + "TerritoireFrancais")
            name(u, gt, t.name)
            gt.add(u, model.IGEO + "codeINSEE", Lit(t.code))
            gt.add(u, M + "level", Lit(t.level))
            for parent in t.parents:
                if parent in uri:
                    gt.add(u, M + "within", uri[parent])
        parents = {uri[t.ref]: [uri[p] for p in t.parents if p in uri] for t in territories}
        for t, a in sorted(closure_pairs(parents)):  # mai:withinOrSelf, as the build writes it
            gt.add(t, M + "withinOrSelf", a)
        n_docs = 50
        docs = [model.mint("graph", f"synthetic-{i:02d}", base=base) for i in range(n_docs)]
        files = [f"synthetic-{i:02d}.txt" for i in range(n_docs)]
        for i, g in enumerate(docs):
            w.add(g, prov, model.mint("document", files[i], base=base), g)
            w.add(model.mint("document", files[i], base=base), model.DCT + "identifier", Lit(files[i]), g)
        n_orgs = max(50, target // 45)
        orgs, funders = [], []
        for i in range(n_orgs):
            kind = rng.choice(BENCH_KINDS)
            u = model.mint("org", f"o{i}", base=base)
            g = w.graph(docs[i % n_docs])
            g.type(u, O + "FormalOrganization")
            name(u, g, f"Organisation {i} ({kind})")
            g.add(u, O + "classification", model.mint("kind", kind))
            g.add(u, M + "territory", uri[rng.choice(communes).ref])
            orgs.append(u)
            if kind in FUNDER_KINDS:
                funders.append(u)
        i = 0
        while written + w.count() < target:
            g = w.graph(docs[i % n_docs])
            doc = files[i % n_docs]
            ini = model.mint("initiative", f"i{i}", base=base)
            g.type(ini, M + "Initiative", S + "Project")
            name(ini, g, f"Initiative {i}")
            g.add(ini, S + "areaServed", uri[rng.choice(communes).ref])
            for theme in rng.sample(THEMES, 2):
                g.add(ini, M + "theme", model.mint("theme", theme))
            g.add(ini, prov, model.mint("passage", doc, i, i + 80, base=base))
            for j, o in enumerate(rng.sample(orgs, 3)):
                role = "pilote" if j == 0 else rng.choice(ROLES[1:])
                p = model.mint("participation", f"i{i}", str(j), base=base)
                g.type(p, M + "Participation")
                g.add(p, O + "member", o)
                g.add(p, O + "organization", ini)
                g.add(p, O + "role", model.mint("role", role))
                g.add(p, prov, model.mint("passage", doc, i, i + 40, base=base))
            for k in range(rng.choice([1, 1, 2])):
                fu = model.mint("funding", f"i{i}-{k}", base=base)
                year = rng.randrange(2015, 2025)
                g.type(fu, M + "Funding", S + "MonetaryGrant")
                for funder in rng.sample(funders, rng.choice([1, 1, 1, 2])):
                    g.add(fu, S + "funder", funder)
                g.add(fu, S + "fundedItem", ini)
                amount = model.mint("amount", f"i{i}-{k}", base=base)
                g.add(fu, S + "amount", amount)
                g.add(amount, S + "value", Decimal(rng.randrange(1000, 500000)))
                g.add(amount, S + "currency", Lit("EUR"))
                g.add(fu, M + "period", Lit(str(year)))
                g.add(fu, S + "startDate", Lit(str(year), None, model.XSD + "gYear"))
                g.add(fu, S + "endDate", Lit(str(year), None, model.XSD + "gYear"))
                purpose = rng.choice(["fonctionnement", "investissement"])
                g.add(fu, M + "purpose", model.mint("purpose", purpose))
                g.add(fu, prov, model.mint("passage", doc, i, i + 60, base=base))
            i += 1
            if w.count() > 50_000:
                flush(f)
        flush(f)
    region = next(t for t in territories if t.level == "region")
    return {"quads": written, "region": uri[region.ref], "funder": funders[0],
            "organisation": orgs[1], "initiative": model.mint("initiative", "i0", base=base)}
