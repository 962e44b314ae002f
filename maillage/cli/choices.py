"""The closed choices of the command line, as `Enum`s typer checks and lists in `--help`.

Spelled here rather than imported so that `maillage --help` does not load rdflib or pyoxigraph;
tests/test_cli.py checks that each matches the tuple of the module that implements it."""

from __future__ import annotations

from enum import StrEnum


class TableFormat(StrEnum):
    """maillage.output.FORMATS: how a SELECT result is printed."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class ExportFormat(StrEnum):
    """maillage.export.FORMATS: linked-data syntaxes, and GraphML for the network."""

    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    trig = "trig"
    xml = "xml"
    nq = "nq"
    graphml = "graphml"


class Backend(StrEnum):
    """maillage.store.open_store's backends."""

    oxigraph = "oxigraph"
    memory = "memory"
    rdflib = "rdflib"


class LoadKind(StrEnum):
    """maillage.load.KINDS: the public data standards `maillage load` reads."""

    scdl = "scdl"
    data_inclusion = "data-inclusion"


class DraftFormat(StrEnum):
    """What `maillage extract` writes."""

    yaml = "yaml"
    json = "json"


class Reader(StrEnum):
    """The readers of `maillage extract` (auto picks one per document)."""

    auto = "auto"
    fiche = "fiche"
    prose = "prose"
