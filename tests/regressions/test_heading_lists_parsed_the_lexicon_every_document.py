"""heading_lists.heading_facts parsed extract/lexicon/relations.yaml twice for every document
(0.1–0.25 s a document, most of a draft's time once the models are loaded): the headings are
now read once."""

from __future__ import annotations


def test_heading_lexicon_is_read_once_for_many_documents(monkeypatch):
    import yaml

    from maillage.extract import heading_lists

    text = "Nos partenaires\nFondation Quetsche\nCCAS de Brest\n"
    heading_lists.heading_facts(text)   # the name reader's own data, loaded once
    for f in (heading_lists._headings, heading_lists._ends):
        getattr(f, "cache_clear", lambda: None)()
    calls = []
    real = yaml.safe_load
    monkeypatch.setattr(yaml, "safe_load", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(5):
        facts = heading_lists.heading_facts(text)
        assert [n.text for f in facts for n in f.names] == ["Fondation Quetsche", "CCAS de Brest"]
    assert len(calls) <= 2
