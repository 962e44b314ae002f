"""Regressions of the territories (the COG and its hierarchy)."""

from __future__ import annotations

import pytest

from maillage.loaders.territories import load_cog


@pytest.fixture(scope="module")
def cog():
    return load_cog()


def test_an_epci_across_departements_does_not_pull_neighbours_into_a_departement(cog):
    """Regression: communes of an EPCI spanning two départements were 'in' both départements.
    An EPCI lies within its département when all its communes do, else within their common région."""
    spanning = [t for t in cog._by_ref.values() if t.level == "epci" and not any(p.startswith("dep:") for p in t.parents)]
    assert spanning  # such EPCI exist in the COG
    for epci in spanning:
        assert all(p.startswith("reg:") for p in epci.parents) and len(epci.parents) <= 1
