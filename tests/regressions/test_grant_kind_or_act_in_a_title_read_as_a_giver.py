"""Regression: the kind of a grant or of an act was read as the body that gives it (invented text).

- "SUBVENTIONS DE FONCTIONNEMENT AU COMITÉ X ET À L'ASSOCIATION Y – CONVENTION ET AVENANT" gave
  three funders: "FONCTIONNEMENT AU COMITÉ X", the recipient Y and "AVENANT";
- "Subvention attribuée : 17 000 euros" gave the funder "Subvention" with the amount."""

from __future__ import annotations

from maillage.extract.pipeline import extract_text


def _funders(text: str) -> set[str]:
    d = extract_text(text, "d.txt", link=False)
    names = {o.key: o.name for o in d.organisations}
    return {names[k] for f in d.fundings for k in f.funders}


def test_a_subsidy_of_a_kind_to_recipients_names_no_giver():
    found = _funders("OBJET : SUBVENTIONS DE FONCTIONNEMENT AU COMITÉ DE VOILE DU CHER ET À L'ASSOCIATION "
                     "VENT DEBOUT – CONVENTION ET AVENANT.\n")
    assert not {n for n in found if any(w in n.upper() for w in ("FONCTIONNEMENT", "VENT DEBOUT", "AVENANT", "VOILE"))}


def test_a_field_label_subsidy_is_no_funder():
    found = _funders("Le Fonds Chêne Vert soutient le projet Taf et Pain.\nSubvention attribuée : 17 000 euros\n")
    assert "Subvention" not in found
