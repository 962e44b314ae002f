"""The `maillage` command: a package of thin command modules over the core functions.

Each module registers its commands on the one Typer `app` of `maillage.cli.common`; importing
this package registers them all (the entry point is `maillage.cli:app`)."""

# imported for their @app.command() side effect, in the order `maillage --help` lists them
from maillage.cli import build, query, search, explore, network, map, curation, bench  # noqa: F401  isort: skip
from maillage.cli.common import app, guard_every_command
from maillage.cli.eval import register as _register_eval
from maillage.cli.extract import register as _register_extract
from maillage.cli.serve import register as _register_serve

_register_serve(app)
_register_extract(app)
_register_eval(app)
guard_every_command(app)   # registered last: every command, whatever module registered it

__all__ = ["app"]
