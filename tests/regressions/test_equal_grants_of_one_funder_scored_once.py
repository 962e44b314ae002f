"""The scorer matched every drafted (funder, amount) pair to the first equal gold pair: a funder's
two grants of the same amount (two winners of 8 000 €) could never both be found."""

from maillage.extract.scoring import Item, match_pairs, name_variants


def _item(name: str) -> Item:
    return Item(name, sorted(name_variants(name)))


def test_two_equal_grants_drafted_twice_are_two_true_positives():
    gold = [(_item("Fondation Exemple"), 8000.0), (_item("Fondation Exemple"), 8000.0), (_item("Fondation Exemple"), 5000.0)]
    draft = [(_item("Fondation Exemple"), 8000.0), (_item("Fondation Exemple"), 8000.0)]
    score = match_pairs(draft, gold)
    assert (score.tp, score.n_draft, score.n_gold) == (2, 2, 3)
    assert score.missed == ["Fondation Exemple: 5000"]


def test_one_grant_drafted_twice_is_still_one_true_positive():
    gold = [(_item("Fondation Exemple"), 8000.0)]
    draft = [(_item("Fondation Exemple"), 8000.0), (_item("Fondation Exemple"), 8000.0)]
    score = match_pairs(draft, gold)
    assert (score.tp, score.n_draft, score.n_gold) == (1, 1, 1)
