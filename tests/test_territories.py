"""The bundled COG: 18 régions, 101 départements, EPCI and communes with their hierarchy."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from maillage.loaders.territories import _read, default_directory, load_cog, parse_ref


def test_counts_and_hierarchy():
    cog = load_cog()
    assert len(cog.regions()) == 18 and len(cog.departements()) == 101
    barlin = cog.get("com:62083")
    assert barlin.name == "Barlin" and set(barlin.parents) == {"dep:62", "epci:200072460"}
    assert [a.ref for a in cog.ancestors("com:62083")] == ["dep:62", "epci:200072460", "reg:32"]
    assert [a.ref for a in cog.ancestors("com:63178")][-1] == "reg:84"
    assert cog.get("dep:2A").parents == ("reg:94",) and cog.get("dep:974").parents == ("reg:04",)
    assert cog.get("com:62083").insee_uri == "http://id.insee.fr/geo/commune/62083"


def test_find_ignores_case_accents_and_hyphens():
    cog = load_cog()
    assert [t.ref for t in cog.find("saint etienne", "commune")] == ["com:42218"]
    assert [t.ref for t in cog.find("PUY DE DOME")] == ["dep:63"]
    assert cog.by_siren("200070407").name == "CA Agglo Pays d'Issoire"


@pytest.mark.parametrize("ref,expected", [("dep:62", ("departement", "62")), ("com:2A004", ("commune", "2A004")),
                                          ("epci:200070407", ("epci", "200070407")), ("reg:32", ("region", "32"))])
def test_parse_ref(ref, expected):
    assert parse_ref(ref) == expected


@pytest.mark.parametrize("bad", ["dep:", "xx:1", "dep:6", "62083", "com:620830", "reg:1"])
def test_parse_ref_refuses_malformed_refs(bad):
    with pytest.raises(ValueError, match="territory ref"):
        parse_ref(bad)


@given(st.text(max_size=20))
def test_parse_ref_only_ever_raises_value_error(text):
    try:
        parse_ref(text)
    except ValueError:
        pass


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10**6))
def test_every_commune_has_one_departement_and_one_region_above_it(i):
    cog = load_cog()
    communes = [t for t in cog._by_ref.values() if t.level == "commune"]
    commune = communes[i % len(communes)]
    levels = [a.level for a in cog.ancestors(commune.ref)]
    assert levels.count("departement") == 1 and levels.count("region") == 1
    once = cog.closure([commune.ref])
    assert cog.closure([t.ref for t in once]) == once


def test_an_epci_across_departements_does_not_pull_neighbours_into_a_departement():
    """Regression: communes of an EPCI spanning two départements were 'in' both départements."""
    cog = load_cog()
    spanning = [t for t in cog._by_ref.values() if t.level == "epci" and not any(p.startswith("dep:") for p in t.parents)]
    assert spanning  # such EPCI exist in the COG
    for epci in spanning[:20]:
        assert all(p.startswith("reg:") for p in epci.parents)


def test_loading_the_whole_cog_is_fast():
    start = time.perf_counter()
    cog = _read(default_directory())
    assert len(cog) > 36000
    assert time.perf_counter() - start < 5  # measured 0.36 s here; generous for slow CI
