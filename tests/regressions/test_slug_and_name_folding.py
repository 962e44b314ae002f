"""Regressions: five slug functions disagreed ("Cœur d'Hérault" -> c-ur-d-herault, coeur-d-herault,
c-ur-d-h-rault) and normalise("Œuvre") gave "uvre" (issue 12): one fold, one slug, one
normalise_name, in maillage.model, used everywhere."""

from __future__ import annotations

from maillage import model
from maillage.loaders.resolution import normalise_name as resolution_normalise
from maillage.loaders.sources import tabular
from maillage.loaders.territories import load_cog
from maillage.query import normalise as query_normalise


def test_coeur_d_herault_has_one_slug_everywhere():
    assert model.slug("Cœur d'Hérault") == "coeur-d-herault"
    assert tabular.slug("Cœur d'Hérault") == "coeur-d-herault"


def test_oeuvre_keeps_its_ligature_letters():
    assert model.normalise_name("Œuvre") == "oeuvre"
    assert model.fold("Œuvre") == "oeuvre"
    assert query_normalise("Œuvre") == "oeuvre"
    assert resolution_normalise("Œuvre") == "oeuvre"


def test_territory_names_fold_alike():
    cog = load_cog()
    # the COG's name index and the query layer's parameter lookup use the same fold
    assert [t.ref for t in cog.find("SAINT ETIENNE", "commune")] == [t.ref for t in cog.find("Saint-Étienne", "commune")]
    assert query_normalise("Cœur d'Hérault") == model.fold("Cœur d'Hérault") == "coeur d herault"


def test_the_extractor_slugs_like_the_model():
    from maillage.extract import draft_io, places, prose

    for slug in (draft_io.slug, prose._slug):
        assert slug("Cœur d'Hérault") == model.slug("Cœur d'Hérault") == "coeur-d-herault"
    assert places._slug("Quartier Cœur de Ville") == "quartier-coeur-de-ville"
