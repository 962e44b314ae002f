"""Synthetic files shaped like the real ones, for tests and benchmarks: SCDL grants from real
collectivités of the COG to made-up associations, with valid SIRET check digits."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from maillage.loaders.sources.tabular import luhn_ok
from maillage.loaders.territories import load_cog

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
