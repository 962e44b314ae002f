"""Entity resolution: planted duplicates are found, distinct bodies are not merged."""

from __future__ import annotations

from hypothesis import given, strategies as st

from maillage.loaders.records import Organisation
from maillage.loaders.resolution import normalise_name, suspects
from maillage.loaders.territories import load_cog


def org(oid, name, kind="ASSO", aliases=(), territory=None, siren=None):
    return Organisation(id=oid, name=name, kind=kind, aliases=list(aliases), territory=territory,
                        identifiers={"siren": siren} if siren else None)


def pairs(found):
    return {frozenset((s.a, s.b)) for s in found}


def test_planted_duplicates_are_found():
    orgs = {o.id: o for o in [
        org("croix-rouge", "Croix Rouge"),
        org("croix-rouge-francaise", "Croix-Rouge française"),
        org("cd-somme", "CD Somme", kind="CD"),
        org("conseil-departemental-somme", "Conseil départemental de la Somme", kind="CD"),
        org("departement-80", "CD 80", kind="CD"),
        org("secours-populaire", "Secours populaire français"),
    ]}
    found = pairs(suspects(orgs, load_cog()))
    assert frozenset({"croix-rouge", "croix-rouge-francaise"}) in found
    assert frozenset({"cd-somme", "conseil-departemental-somme"}) in found
    assert frozenset({"cd-somme", "departement-80"}) in found  # "CD 80" is the Somme
    assert not any("secours-populaire" in p for p in found)


def test_identifiers_and_governed_territory_decide_before_names():
    orgs = {o.id: o for o in [
        org("a", "Association Alpha", siren="123456789"),
        org("b", "Les amis d'Alpha", siren="123456789"),
        org("dep18", "Département du Cher", kind="CD", territory="dep:18"),
        org("cg18", "Conseil général", kind="CD", territory="dep:18"),
    ]}
    found = {frozenset((s.a, s.b)): s.why for s in suspects(orgs, load_cog())}
    assert found[frozenset({"a", "b"})].startswith("same identifier")
    assert found[frozenset({"dep18", "cg18"})] == "both CD of dep:18"


def test_similar_but_distinct_bodies_are_not_suspects():
    orgs = {o.id: o for o in [
        org("cher", "Département du Cher", kind="CD", territory="dep:18"),
        org("loir-et-cher", "Département de Loir-et-Cher", kind="CD", territory="dep:41"),
        org("region-occitanie", "Région Occitanie", kind="REG", territory="reg:76"),
        org("region-normandie", "Région Normandie", kind="REG", territory="reg:28"),
        org("ml-barlin", "Mission locale de Barlin", kind="ML"),
        org("ml-issoire", "Mission locale d'Issoire", kind="ML"),
    ]}
    assert suspects(orgs, load_cog()) == []


def test_reviewed_pairs_are_left_out():
    orgs = {o.id: o for o in [org("x", "Croix Rouge"), org("y", "Croix-Rouge française")]}
    assert suspects(orgs, load_cog(), reviewed=[frozenset({"x", "y"})]) == []


def test_normalisation_expands_abbreviations_and_departement_numbers():
    cog = load_cog()
    assert normalise_name("CD 41", cog) == normalise_name("Conseil départemental de Loir-et-Cher", cog) == "departement loir cher"
    assert normalise_name("Pôle Emploi") == normalise_name("France Travail") == "france travail"


@given(st.text(max_size=60))
def test_normalise_name_is_idempotent_and_plain(name):
    once = normalise_name(name, load_cog())
    assert normalise_name(once, load_cog()) == once
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in once)
