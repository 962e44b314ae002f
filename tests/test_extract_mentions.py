"""Mention features that carry across documents (mentions.py): the coordination a name belongs
to and the verb it hangs from, the heading a one-a-line list sits under, and what a list's
other bodies say (short invented texts)."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")


def _mentions(text: str) -> dict:
    from maillage.extract.mentions import analyse

    _, ms = analyse(text)
    return {m.text: m.features for m in ms}


def test_a_later_conjunct_reads_like_the_first_and_knows_its_verb():
    f = _mentions("Le projet est né en 2019. L'association Alpha Sud, le Collectif Beta Nord et la Régie Gamma Est "
                  "mènent ensemble une réflexion sur la mobilité.")
    last = f["Régie Gamma Est"]
    assert last.get("conj") and last.get("cgov=mener") and last.get("cdep=nsubj")
    assert all(f[n].get("verb=mener") for n in ("Alpha Sud", "Collectif Beta Nord", "Régie Gamma Est"))


def test_one_body_a_line_is_a_list_under_its_heading():
    f = _mentions("Le garage solidaire ouvre ses portes à Brest.\n\nActeurs\nBrest Métropole\n- Le CCAS de Brest\n"
                  "- La Mission locale du Pays de Brest\n")
    for name in ("Brest Métropole", "CCAS de Brest", "Mission locale du Pays de Brest"):
        assert f[name].get("hw=acteurs") and f[name].get("short_line") and f[name].get("in_list"), name
        assert f[name].get("list=3+")
    assert not f["Brest"].get("hw=acteurs")   # the prose line above the heading is under no heading


def test_a_prose_line_takes_the_nearest_short_line_above_as_heading():
    f = _mentions("Nos partenaires\nDepuis 2020, le jardin travaille avec la Fondation Quetsche sur les semences.")
    assert f["Fondation Quetsche"].get("hw=partenaires") and not f["Fondation Quetsche"].get("short_line")


def test_list_members_share_what_their_siblings_hang_from():
    f = _mentions("Le projet est né en 2019. L'association Alpha Sud, le Collectif Beta Nord et la Régie Gamma Est "
                  "mènent ensemble une réflexion sur la mobilité.")
    # the first conjunct is the subject of the verb; the others learn it through their siblings
    assert f["Collectif Beta Nord"].get("sib_cgov=mener") or f["Collectif Beta Nord"].get("sib_gov=mener")
    assert not any(k.startswith("sib_") for k in _mentions("La Fondation Quetsche finance le jardin.")["Fondation Quetsche"])


def test_a_body_carrying_the_initiative_beside_its_pilot_is_a_partner():
    """combine.py: "porté par A, B et l'État": A pilots, the others carry it with A (partners)."""
    from maillage.extract.combine import _N, Combiner
    from maillage.extract.model import Draft, DraftInitiative

    text = "Le Jardin Vert est porté par la Régie Alpha, le Collectif Beta et la Fondation Quetsche."
    c = Combiner(Draft("x.txt", initiatives=[DraftInitiative("jardin", "Jardin Vert", spans=[(3, 14)])]), text)
    names = [_N(text.index(n), n) for n in ("Régie Alpha", "Collectif Beta", "Fondation Quetsche")]
    c.add("funding", "financeur", names[2:], [], [], (0, len(text)), 0.7)
    c.add("pilot", "porteur", names, [], [], (0, len(text)), 0.7)
    by_key = {o.key: o.name for o in c.draft.organisations}
    (ini,) = c.draft.initiatives
    assert [by_key[k] for k in ini.pilots] == ["Régie Alpha"]
    # the funder stays a funder only; the co-carrier becomes a partner
    assert [(by_key[p.partner], p.role) for p in c.draft.partnerships] == [("Collectif Beta", "partenaire")]


def test_a_partner_the_rules_read_is_kept_when_no_initiative_is_drafted():
    """combine.py: a partnership fact on a page whose initiative the reader did not name is kept
    (like a funding with no initiative); the classifier adds no partner to such a page."""
    from maillage.extract.classifier import add_predictions
    from maillage.extract.combine import _N, Combiner
    from maillage.extract.mentions import Mention
    from maillage.extract.model import Draft

    text = "En partenariat avec la Régie Alpha, le jardin ouvre. Le Collectif Beta y passe."
    c = Combiner(Draft("x.txt"), text)
    c.add("partnership", "partenaire", [_N(text.index("Régie"), "Régie Alpha")], [], [], (0, 40), 0.7)
    m = Mention(text.index("Collectif"), text.index("Collectif") + len("Collectif Beta"), "Collectif Beta", False)
    m.features = {"x": 1.0}
    model = {"classes": ["none", "funder", "partner", "pilot"], "intercept": [0.0, 0.0, 0.0, 0.0],
             "weights": {"x": [0.0, 0.0, 9.0, 0.0]}, "thresholds": {"funder": 0.5, "partner": 0.5}}
    add_predictions(c, [m], model)
    by_key = {o.key: o.name for o in c.draft.organisations}
    assert [(by_key[p.partner], p.initiative, p.by) for p in c.draft.partnerships] == [("Régie Alpha", None, "rule")]
