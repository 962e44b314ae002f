"""`maillage serve`: registered on the main CLI by maillage.cli (placeholder until the server lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the CLI."""
