"""The closed choices of the command line, as `Enum`s typer checks and lists in `--help`.

Spelled here rather than imported so that `maillage --help` does not load rdflib or pyoxigraph;
tests/test_cli.py checks that each matches the tuple of the module that implements it."""

from __future__ import annotations

from enum import Enum


class TableFormat(str, Enum):
    """maillage.output.FORMATS: how a SELECT result is printed."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class ExportFormat(str, Enum):
    """maillage.export.FORMATS: linked-data syntaxes, and GraphML for the network."""

    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    trig = "trig"
    xml = "xml"
    nq = "nq"
    graphml = "graphml"


class Backend(str, Enum):
    """maillage.store.open_store's backends."""

    oxigraph = "oxigraph"
    memory = "memory"
    rdflib = "rdflib"


class LoadKind(str, Enum):
    """maillage.load.KINDS: the public data standards `maillage load` reads."""

    scdl = "scdl"
    data_inclusion = "data-inclusion"


class DraftFormat(str, Enum):
    """What `maillage extract` writes."""

    yaml = "yaml"
    json = "json"


class Reader(str, Enum):
    """The readers of `maillage extract` (auto picks one per document)."""

    auto = "auto"
    fiche = "fiche"
    prose = "prose"
