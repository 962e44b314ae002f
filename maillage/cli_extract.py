"""`maillage extract`, `maillage add` and `maillage eval-extract`: registered on the main CLI by
maillage.cli (placeholder until the extractor lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the extraction commands to the CLI."""
