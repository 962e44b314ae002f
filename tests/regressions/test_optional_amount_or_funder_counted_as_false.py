"""The one scorer ignored two optional keys of the invented gold files: ``amounts_optional`` in the
tied scorer (an amount the text lets a reader compute, a stated share of a stated whole, drafted
with its funder was a false (funder, amount) pair while the amounts scorer already left it out) and
``funders_optional`` (a true funder with no amount in euros was a false funder). Invented set:
funders and tied 88/89/88 -> 88/88/88."""

from maillage.extract.scoring import Item, Sets, compare, name_variants


def _item(name: str) -> Item:
    return Item(name, sorted(name_variants(name)))


def _gold() -> Sets:
    return Sets(funders=[_item("Région Exemple"), _item("État")],
                pairs=[(_item("État"), 100000.0)], optional_amounts={600000.0},
                optional_funders=[_item("Caisse Exemple")])


def test_an_optional_amount_with_a_gold_funder_is_no_false_tied_pair():
    draft = Sets(funders=[_item("Région Exemple"), _item("État")],
                 pairs=[(_item("État"), 100000.0), (_item("Région Exemple"), 600000.0)])
    tied = compare(draft, _gold())["tied"]
    assert (tied.tp, tied.n_draft, tied.n_gold) == (1, 1, 1)


def test_an_optional_amount_with_a_funder_not_in_the_gold_is_still_false():
    draft = Sets(funders=[_item("État")],
                 pairs=[(_item("État"), 100000.0), (_item("Fondation Inconnue"), 600000.0)])
    tied = compare(draft, _gold())["tied"]
    assert (tied.tp, tied.n_draft, tied.n_gold) == (1, 2, 1)
    assert tied.spurious == ["Fondation Inconnue: 600000"]


def test_an_optional_funder_drafted_is_neither_hit_nor_false_and_its_share_is_no_false_pair():
    draft = Sets(funders=[_item("État"), _item("Caisse Exemple")],
                 pairs=[(_item("État"), 100000.0), (_item("Caisse Exemple"), 600000.0)],
                 partners=[_item("Caisse Exemple")])
    scores = compare(draft, _gold())
    assert (scores["funders"].tp, scores["funders"].n_draft, scores["funders"].n_gold) == (1, 1, 2)
    assert (scores["tied"].tp, scores["tied"].n_draft, scores["tied"].n_gold) == (1, 1, 1)
    assert scores["partners"].n_draft == 0  # a true funder drafted as partner: no false partner
