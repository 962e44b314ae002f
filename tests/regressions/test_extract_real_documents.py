"""Regressions of the extractor found on real documents (issue 13), each with an invented text.

- ``extract_file`` (what ``eval-extract`` measures) read the ``SOURCE: <url>`` first line as text,
  so "SOURCE" became an initiative; the folder reader blanked it, the file reader did not.
- "l'État" alone was a bare generic head to resolve against a fuller name ("État" has no level),
  so the State was dropped from every relation ("bénéficient du soutien de l'État").
- A funder paying two initiatives kept only its first amount: the second was dropped as "already
  drafted" (a foundation's list of winners, one amount each).
- The speaker of an article ("Marie Lenoir, déléguée de la fondation") was drafted as a funder.
"""

from __future__ import annotations

from maillage.extract.pipeline import extract_file, extract_text
from maillage.extract.prose import read_name


def _names(draft):
    return {o.key: o.name for o in draft.organisations}


def test_a_source_line_is_the_url_never_an_initiative(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text("SOURCE: https://exemple.org/garage\n\nLe Garage Solidaire du Lignon ouvre ses portes. "
                 "Il est financé par la Fondation Tilleul.\n", encoding="utf-8")
    draft = extract_file(p, link=False)
    assert draft.url == "https://exemple.org/garage"
    assert not any("SOURCE" in i.name for i in draft.initiatives)


def test_the_state_alone_is_a_body():
    n = read_name("l’État soutient le projet", 0, allow_bare=False)
    assert n is not None and n.text == "État" and not n.head_only
    draft = extract_text("L'atelier Rebond bénéficie désormais du soutien de l’État, pour deux ans.", "a.txt", link=False)
    names = _names(draft)
    assert "État" in {names[k] for f in draft.fundings for k in f.funders}


def test_one_funder_two_initiatives_two_amounts():
    text = ("La Fondation Sureau soutient deux associations du Morbihan.\n"
            "L'atelier Vélo Vert reçoit de la Fondation Sureau un chèque de 12 000 euros.\n"
            "Le garage Roue Libre reçoit de la Fondation Sureau un chèque de 7 000 euros.\n")
    draft = extract_text(text, "b.txt", link=False)
    names = _names(draft)
    pairs = {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders}
    assert {("Fondation Sureau", 12000), ("Fondation Sureau", 7000)} <= pairs


def test_a_person_is_no_funder():
    text = ("Vendredi, Marie Lenoir, déléguée générale de la Fondation Cormier, a remis un chèque "
            "de 5 000 € à l'association Les Jardins du Ruisseau.\n")
    draft = extract_text(text, "c.txt", link=False)
    names = _names(draft)
    funders = {names[k] for f in draft.fundings for k in f.funders}
    assert "Marie Lenoir" not in funders
