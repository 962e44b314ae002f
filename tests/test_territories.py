"""The bundled COG: 18 régions, 101 départements, EPCI and communes with their hierarchy."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from maillage.loaders.territories import Territory, _read, default_directory, load_cog, parse_ref


@pytest.fixture(scope="module")
def cog():
    return load_cog()


@pytest.fixture(scope="module")
def communes(cog):
    return [t for t in cog._by_ref.values() if t.level == "commune"]


def refs(territories):
    return [t.ref for t in territories]


def test_counts(cog, communes):
    assert len(cog.regions()) == 18 and len(cog.departements()) == 101
    assert len([r for r in cog.regions() if r.code.startswith("0")]) == 5  # the overseas régions
    assert 34_000 < len(communes) < 36_000
    assert refs(cog.regions())[:2] == ["reg:01", "reg:02"]  # in code order


def test_barlin(cog):
    barlin = cog.get("com:62083")
    assert barlin == Territory("com:62083", "commune", "62083", "Barlin", ("dep:62", "epci:200072460"), "216200832",
                               barlin.population, "http://id.insee.fr/geo/commune/62083")
    assert refs(cog.ancestors("com:62083")) == ["dep:62", "epci:200072460", "reg:32"]
    assert cog.get("epci:200072460").name == "CA de Béthune-Bruay, Artois-Lys Romane"
    assert cog.get("reg:32").name == "Hauts-de-France" and cog.get("dep:62").name == "Pas-de-Calais"
    assert "com:62083" in cog and "com:99999" not in cog and cog.get("com:99999") is None


def test_issoire_toulouse_blois(cog):
    assert refs(cog.ancestors("com:63178")) == ["dep:63", "epci:200070407", "reg:84"]
    assert cog.get("com:31555").name == "Toulouse" and refs(cog.ancestors("com:31555"))[-1] == "reg:76"
    assert cog.get("com:41018").name == "Blois" and "reg:24" in refs(cog.ancestors("com:41018"))
    assert cog.get("epci:246300701").name == "Clermont Auvergne Métropole"


def test_corsica_and_overseas(cog):
    assert cog.get("dep:2A").parents == ("reg:94",) and cog.get("dep:2B").parents == ("reg:94",)
    assert refs(cog.ancestors("com:2A004"))[0] == "dep:2A" and cog.get("com:2A004").name == "Ajaccio"
    assert cog.get("dep:974").name == "La Réunion" and cog.get("dep:974").parents == ("reg:04",)
    assert refs(cog.ancestors("com:97411"))[-1] == "reg:04"
    assert cog.get("dep:976").parents == ("reg:06",)


def test_insee_uris(cog):
    assert cog.get("reg:32").insee_uri == "http://id.insee.fr/geo/region/32"
    assert cog.get("dep:2A").insee_uri == "http://id.insee.fr/geo/departement/2A"
    assert cog.get("epci:200070407").insee_uri == "http://id.insee.fr/geo/intercommunalite/200070407"


def test_find_ignores_case_accents_hyphens_and_apostrophes(cog):
    assert refs(cog.find("saint etienne", "commune")) == ["com:42218"]
    assert refs(cog.find("PUY DE DOME")) == ["dep:63"]
    assert refs(cog.find("ile de france")) == ["reg:11"]
    assert refs(cog.find("Cote d Or")) == ["dep:21"]
    assert refs(cog.find("noeux les mines")) == ["com:62617"]  # œ
    assert refs(cog.find("Issoire")) == ["com:63178"]
    assert cog.find("Issoire", "epci") == [] and cog.find("Nowhere-sur-Rien") == []


def test_find_an_epci_with_its_legal_form_spelled_out_or_left_off(cog):
    assert refs(cog.find("Agglo Pays d'Issoire")) == ["epci:200070407"]
    assert refs(cog.find("Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane")) == ["epci:200072460"]
    assert refs(cog.find("Arras")) == ["com:62041"]  # not "CU d'Arras"


def test_by_siren(cog):
    assert cog.by_siren("200070407").name == "CA Agglo Pays d'Issoire"
    assert cog.by_siren("216200832").ref == "com:62083"
    assert cog.by_siren("000000000") is None


def test_closure(cog):
    got = refs(cog.closure(["com:62083", "com:63178", "dep:62", "nope:1"]))
    assert got == ["com:62083", "dep:62", "epci:200072460", "reg:32", "com:63178", "dep:63", "epci:200070407", "reg:84"]


@pytest.mark.parametrize("ref,expected", [("dep:62", ("departement", "62")), ("com:2A004", ("commune", "2A004")),
                                          ("epci:200070407", ("epci", "200070407")), ("reg:32", ("region", "32")),
                                          ("dep:2B", ("departement", "2B")), ("dep:971", ("departement", "971"))])
def test_parse_ref(ref, expected):
    assert parse_ref(ref) == expected


@pytest.mark.parametrize("bad", ["dep:", "xx:1", "dep:6", "62083", "com:620830", "reg:1", "dep:977", "dep:2C",
                                 "epci:20007046", "com:2C004", "", ":", "dep:62 ", "DEP:62"])
def test_parse_ref_refuses_malformed_refs(bad):
    with pytest.raises(ValueError, match="territory ref"):
        parse_ref(bad)


@given(st.text(max_size=20) | st.builds(lambda s, c: f"{s}:{c}", st.sampled_from(["reg", "dep", "epci", "com", "x"]),
                                         st.text(max_size=10)))
def test_parse_ref_only_ever_raises_value_error(text):
    try:
        level, code = parse_ref(text)
    except ValueError:
        return
    assert text.endswith(":" + code) and level in {"region", "departement", "epci", "commune"}


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6))
def test_every_commune_has_one_departement_and_one_region_above_it(communes, i):
    cog = load_cog()
    commune = communes[i % len(communes)]
    levels = [a.level for a in cog.ancestors(commune.ref)]
    assert levels.count("departement") == 1 and levels.count("region") == 1
    assert levels[0] == "departement" and levels[-1] == "region"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10**6), max_size=6))
def test_closure_is_idempotent(communes, picks):
    cog = load_cog()
    start = [communes[i % len(communes)].ref for i in picks]
    once = cog.closure(start)
    assert cog.closure(refs(once)) == once
    assert [r for r in refs(once) if r in start] == list(dict.fromkeys(start))  # the given ones kept, in order
    assert len(set(refs(once))) == len(once)


def test_load_cog_is_cached():
    assert load_cog() is load_cog()


def test_loading_the_whole_cog_is_fast():
    start = time.perf_counter()
    cog = _read(default_directory())
    assert len(cog) > 36000
    assert time.perf_counter() - start < 5  # measured 0.35 s here; generous for slow CI
