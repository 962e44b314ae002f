"""Drafting records from documents: readers (fiche, prose), amounts, places, linker, pipeline.

    from maillage.extract import extract_file, to_json
    draft = extract_file("doc.txt")

Names are imported on first use (the prose reader needs spaCy, slow to import)."""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "Draft": "model", "DraftOrganisation": "model", "DraftInitiative": "model", "DraftFunding": "model",
    "DraftPartnership": "model", "Reader": "model",
    "Amount": "amounts", "find_amounts": "amounts", "parse_amount": "amounts",
    "PlaceMention": "places", "find_places": "places",
    "FicheReader": "fiche", "Linker": "link",
    "ExtractError": "pipeline", "extract_text": "pipeline", "extract_file": "pipeline",
    "to_json": "draft_io", "to_yaml": "draft_io", "draft_to_records": "draft_io",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
