"""Structured fiches (placeholder: the full reader lands next)."""

from __future__ import annotations

from maillage.loaders.extract.model import Draft

__all__ = ["FicheReader"]


class FicheReader:
    name = "fiche"

    def read(self, text: str, file: str) -> Draft:
        return Draft(file=file, warnings=["fiche reader: not implemented yet"])
