#!/usr/bin/env python3
"""Regenerate the compact COG files of this folder from Etalab's @etalab/decoupage-administratif.

Development-time only (users never run npm):
    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0
    python3 data/territories/build_cog.py /tmp/etalab-decoupage-administratif-6.0.0.tgz
The argument is the .tgz or the folder it extracts to (the one holding data/communes.json).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(package: Path) -> None:
    if package.is_file():  # the .tgz from npm pack: read the JSON straight out of it
        with tarfile.open(package) as tgz:
            blobs = {Path(m.name).stem: tgz.extractfile(m).read() for m in tgz.getmembers()
                     if m.isfile() and Path(m.name).parent.name == "data" and m.name.endswith(".json")}
        load = lambda name: json.loads(blobs[name].decode("utf-8"))  # noqa: E731
    else:
        data = package / "data"
        load = lambda name: json.loads((data / f"{name}.json").read_text(encoding="utf-8"))  # noqa: E731
    # The 18 régions and 101 départements (metropolitan France and the five DROM); the
    # collectivités d'outre-mer (zone "com") have no département or région.
    in_scope = lambda t: t.get("zone") in ("metro", "drom")  # noqa: E731
    regions = sorted(filter(in_scope, load("regions")), key=lambda r: r["code"])
    departements = sorted(filter(in_scope, load("departements")), key=lambda d: d["code"])
    communes = [c for c in load("communes") if c.get("type") == "commune-actuelle" and in_scope(c)]
    epcis = sorted(load("epci"), key=lambda e: e["code"])

    dep_of = {c["code"]: c["departement"] for c in communes}
    epci_of: dict[str, str] = {}
    with (HERE / "epci.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["siren", "name", "type", "departements", "population"])
        for e in epcis:
            deps = sorted({dep_of[m["code"]] for m in e["membres"] if m["code"] in dep_of})
            for m in e["membres"]:
                epci_of[m["code"]] = e["code"]
            w.writerow([e["code"], e["nom"], e.get("type", ""), " ".join(deps), e.get("populationMunicipale", "")])
    with (HERE / "regions.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name"])
        for r in regions:
            w.writerow([r["code"], r["nom"]])
    with (HERE / "departements.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "region"])
        for d in departements:
            w.writerow([d["code"], d["nom"], d["region"]])
    # mtime=0 and no file name in the gzip header: the same input always gives the same bytes.
    with open(HERE / "communes.csv.gz", "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "departement", "epci", "siren", "population"])
        for c in sorted(communes, key=lambda c: c["code"]):
            w.writerow([c["code"], c["nom"], c["departement"], epci_of.get(c["code"], ""), c.get("siren", ""), c.get("population", "")])
    print(f"{len(regions)} régions, {len(departements)} départements, {len(epcis)} EPCI, {len(communes)} communes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
