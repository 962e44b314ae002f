"""The coverage check: it finds money and cooperation passages that no fact covers."""

from __future__ import annotations

from hypothesis import given, strategies as st

from maillage.loaders.coverage import Allowance, check_document, find_passages, passages

TEXT = (
    "Le Garage solidaire répare des voitures.\n"
    "Une subvention de 5 000 € a été accordée par la Région.\n"
    "Il travaille en partenariat avec la Mission locale. Il a aussi reçu 2 500 € de la Fondation X.\n"
    "## Le financement du projet\n"
)


def spans_of(*needles):
    return [(TEXT.index(n), TEXT.index(n) + len(n)) for n in needles]


def test_finds_money_and_cooperation_passages():
    kinds = [(p.kind, p.text) for p in find_passages(TEXT)]
    assert kinds == [
        ("money", "Une subvention de 5 000 € a été accordée par la Région."),
        ("cooperation", "Il travaille en partenariat avec la Mission locale."),
        ("money", "Il a aussi reçu 2 500 € de la Fondation X."),
        ("money", "## Le financement du projet"),
    ]


def test_uncovered_until_a_fact_covers_each_passage():
    cov = check_document(TEXT, "x.txt", [], [])
    assert len(cov.uncovered) == 4
    spans = spans_of("Une subvention de 5 000 € a été accordée par la Région", "partenariat avec la Mission locale",
                     "reçu 2 500 € de la Fondation X")
    cov = check_document(TEXT, "x.txt", spans, [])
    assert [p.text for p in cov.uncovered] == ["## Le financement du projet"]


def test_an_amount_must_lie_inside_a_span_not_just_near_it():
    # the span touches the passage but leaves the amount out: still uncovered
    cov = check_document(TEXT, "x.txt", spans_of("de la Fondation X"), [])
    assert "Il a aussi reçu 2 500 € de la Fondation X." in [p.text for p in cov.uncovered]


def test_allow_list_justifies_a_passage_with_its_reason():
    start = TEXT.index("## Le financement")
    allow = [Allowance("x.txt", (start, start + 27), "intertitre")]
    cov = check_document(TEXT, "x.txt", [], allow)
    assert [(p.text, r) for p, r in cov.allowed] == [("## Le financement du projet", "intertitre")]
    other = check_document(TEXT, "y.txt", [], allow)  # an allowance is for its own document only
    assert not other.allowed


@given(st.text(alphabet=st.sampled_from(list("ab €5 .\n!?Ée")), max_size=200))
def test_passages_are_ordered_trimmed_and_inside_the_text(text):
    last = 0
    for a, b in passages(text):
        assert last <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip() and "\n" not in text[a:b]
        last = b


def test_allow_list_cannot_excuse_a_euro_amount():
    # regression: an allowance spanning "2 500 €" hid an unrecorded amount; amounts are facts
    start = TEXT.index("Il a aussi reçu")
    end = TEXT.index("Fondation X.") + len("Fondation X.")
    cov = check_document(TEXT, "x.txt", [], [Allowance("x.txt", (start, end), "sans intérêt")])
    assert "Il a aussi reçu 2 500 € de la Fondation X." in [p.text for p in cov.uncovered]
    assert not cov.allowed
