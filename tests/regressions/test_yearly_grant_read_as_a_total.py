"""A grant said with a period after it ("50 000 € durant un an", "12 000 euros par an") was no loose
grant: "an" and "annuel" were among the words that make an amount a total (lexicon not_given)."""

import pytest

from maillage.extract.pipeline import extract_text


@pytest.mark.parametrize("grant, value", [("Il bénéficiera d'une subvention de 50 000 € durant un an.", 50000),
                                          ("L'atelier a obtenu une aide d'environ 12 000 euros par an.", 12000)])
def test_a_yearly_grant_goes_to_the_funder_before(grant, value):
    draft = extract_text("La Fondation Mélèze Rouge a retenu l'atelier Roue Libre.\n" + grant + "\n", "d.txt", link=False)
    names = {o.key: o.name for o in draft.organisations}
    assert {(names[k], f.amount_eur) for f in draft.fundings for k in f.funders} == {("Fondation Mélèze Rouge", value)}
