"""`maillage years` and `maillage similar` print French (titles, reasons, the undated count) but an
unknown name ended in English ("error: no organisation called 'xyz'"), and the explorer's
"vouliez-vous dire" listed its suggestions as Python literals, mixing quotes
("Actions d'accès…", 'Alternative…'). Both commands now speak French to the end, suggestions
in « »."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from maillage.cli import app

runner = CliRunner()


@pytest.mark.parametrize("args, says", [
    (["years", "--funder", "Personne Nulle Part"], "« Personne Nulle Part » : aucun résultat pour le champ « financeur »"),
    (["years", "--theme", "zzz"], "« zzz » : aucun résultat pour le champ « thème »"),
    (["similar", "Introuvable Nulle Part"], "« Introuvable Nulle Part » : aucun résultat pour le champ « initiative »"),
])
def test_an_unknown_name_is_refused_in_french(built, args, says):
    r = runner.invoke(app, ["--store", str(built.store_dir), *args])
    assert r.exit_code == 2
    assert r.output.startswith("erreur : ") and says in r.output, r.output
    assert "no organisation" not in r.output and "called" not in r.output


def test_suggestions_are_quoted_in_french(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "similar", "Bus"])
    assert r.exit_code == 2
    assert "vouliez-vous dire : « Bus de l'emploi et de l'insertion de Barlin »" in r.output, r.output
    assert '"' not in r.output
