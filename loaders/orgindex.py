"""The organisations a loaded file can link to: identifiers first, then the territory a
collectivité governs, then the normalised name (aliases count). Built from the current graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from maillage import model
from maillage.loaders.territories import Cog
from maillage.model import normalise_name

GOVERNING = model.GOVERNING_KINDS


@dataclass
class OrgIndex:
    cog: Cog
    by_identifier: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)
    by_governed: dict[tuple[str, str], str] = field(default_factory=dict)
    labels: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store, cog: Cog, exclude_graph: str | None = None) -> OrgIndex:
        """Every organisation of the graph, except what only ``exclude_graph`` (the earlier
        version of the file being re-loaded) says of it."""
        index = cls(cog)
        facts: dict[str, dict[str, list[str]]] = {}
        from maillage import query

        for r in query.select(store, "organisation-facts").rows:
            # every statement is scoped by its graph, so a re-load never counts on what its own
            # earlier version said (it would then not say it again)
            if exclude_graph and r["g"] == exclude_graph:
                continue
            facts.setdefault(r["o"], {}).setdefault(r["p"].rsplit("#", 1)[-1], []).append(r["v"])
        for uri, f in facts.items():
            kind = next((v.rsplit("/", 1)[-1] for v in f.get("classification", [])), None)
            territory = next(iter(f.get("territory", [])), None)
            ids = f.get("siren", []) + f.get("siret", []) + f.get("rna", [])
            labels = f.get("prefLabel", []) + f.get("altLabel", [])
            index.add(uri, labels[0] if labels else None, kind=kind, territory=territory, identifiers=ids)
            for label in labels[1:]:
                index.add(uri, label)
        return index

    def add(self, uri: str, label: str | None, *, kind: str | None = None, territory: str | None = None,
            identifiers=()) -> None:
        for ident in identifiers:
            if ident:
                self.by_identifier.setdefault(ident, uri)
                if len(ident) == 14:
                    self.by_identifier.setdefault(ident[:9], uri)
        if label:
            self.labels.setdefault(uri, set()).add(label)
            self.by_name.setdefault(normalise_name(label, self.cog), set()).add(uri)
        if kind in GOVERNING and territory:
            self.by_governed.setdefault((kind, territory), uri)

    def find(self, *, siret: str | None = None, siren: str | None = None, rna: str | None = None,
             name: str | None = None, governs: tuple[str, str] | None = None) -> str | None:
        for ident in (siret, rna, siren or (siret[:9] if siret else None)):
            if ident and ident in self.by_identifier:
                return self.by_identifier[ident]
        if governs and governs in self.by_governed:
            return self.by_governed[governs]
        if name:
            hits = self.by_name.get(normalise_name(name, self.cog), set())
            if len(hits) == 1:  # an ambiguous name links to nothing rather than to the wrong body
                return next(iter(hits))
        return None

    def known(self, uri: str) -> bool:
        return str(uri) in self.labels
