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


@pytest.mark.parametrize("args", [["search", "x"], ["years"], ["similar", "x"]])
def test_no_graph_yet_is_said_in_french(tmp_path, args):
    """Before any build, the three French-speaking commands said "no graph at …: run `maillage build` first"."""
    r = runner.invoke(app, ["--store", str(tmp_path / "none"), *args])
    assert r.exit_code == 1
    assert "pas de graphe dans" in r.output and "lancez d'abord `maillage build`" in r.output, r.output
