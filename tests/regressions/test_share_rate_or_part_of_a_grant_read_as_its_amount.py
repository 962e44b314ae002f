"""Regression: amounts that are no one body's grant were tied to a funder, or the funder's own
share was never computed (invented text).

- "un coût de 300 000 €, financé à hauteur des deux tiers par le Département" left the Département
  without an amount (it gives 200 000 €);
- "subventionner 88 euros par ordinateur" tied a rate to the Ville;
- "Une subvention de 30 000 € a été attribuée …, dont 15 000 € pour … et 15 000 € pour …" tied a
  part (15 000 €) instead of the grant."""

from __future__ import annotations

from maillage.extract.pipeline import extract_text


def _pairs(text: str, url: str | None = None) -> set[tuple[str, float | None]]:
    d = extract_text(text, "d.txt", link=False, url=url)
    names = {o.key: o.name for o in d.organisations}
    return {(names[k], f.amount_eur) for f in d.fundings for k in f.funders}


def test_the_share_of_a_stated_cost_is_the_funders_amount():
    pairs = _pairs("Au cours de l'opération, d'un coût de 300 000 euros, financée à hauteur des deux tiers par "
                   "le Conseil départemental du Cher, 500 postes sont proposés.\n")
    assert any(v == 200000 for n, v in pairs if "Cher" in n)


def test_a_rate_per_item_is_no_grant():
    from maillage.extract.relations import RelationReader

    facts = RelationReader().facts("La Ville et le CCAS ont décidé de relayer cette offre auprès des bénéficiaires de l’épicerie "
                                   "solidaire et de subventionner "
                                   "88 euros par ordinateur.")
    assert not any(a.value_eur == 88 for f in facts for a in f.amounts)


def test_the_parts_after_dont_are_not_the_grant():
    pairs = _pairs("Une subvention de 30 000 € a été attribuée à la ville de Pontal pour la maison des familles, "
                   "dont 15 000 € pour les ateliers et 15 000 € pour les travaux.\n",
                   url="https://www.cher.fr/actualites/maison")
    assert ("Département du Cher", 30000) in pairs and ("Département du Cher", 15000) not in pairs
