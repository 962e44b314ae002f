"""`python -m maillage.cli` (the server's launcher runs the CLI this way)."""

from maillage.cli import app

app()
