"""`maillage eval-extract`: the extractor measured against the curated records (registered on
the main CLI by maillage.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the evaluation command to the CLI."""
